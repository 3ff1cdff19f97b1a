"""SAE finite cyclic groups: sizes for decoding and numbers for sanity checks.

Group numbers are the IANA IKE "Group Description" values 802.11 uses.  One
table drives both decoding (scalar and element sizes) and the checks (scalar
range, point on curve, FFC element range): no per-group code.

Curve constants: NIST P-curves from SEC 2 / FIPS 186-4, Brainpool curves from
RFC 5639; the MODP prime of group 14 from RFC 3526.  ``tests/test_dot11_sae.py``
verifies each curve (generator on the curve, order times generator is the
point at infinity) so a mistyped digit cannot pass.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Curve:
    p: int
    a: int
    b: int
    n: int
    gx: int
    gy: int


@dataclass(frozen=True)
class Group:
    number: int
    name: str
    kind: str  # "ecc" or "ffc"
    prime_len: int  # octets of the field prime
    order_len: int  # octets of the group order (= scalar size)
    curve: Curve | None = None
    prime: int | None = None  # FFC prime, when known
    order: int | None = None  # FFC subgroup order, when known

    @property
    def element_len(self) -> int:
        """ECC: x and y coordinates; FFC: one field element."""
        return 2 * self.prime_len if self.kind == "ecc" else self.prime_len

    def hash_len(self, h2e: bool) -> int:
        """Octets of the KCK-based confirm.

        Hunt-and-peck always uses SHA-256; with hash-to-element the hash grows
        with the prime (IEEE 802.11-2020 12.4.2).
        """
        if not h2e or self.prime_len <= 32:
            return 32
        return 48 if self.prime_len <= 48 else 64


def _h(text: str) -> int:
    return int("".join(text.split()), 16)


_P256 = Curve(
    p=_h("ffffffff00000001000000000000000000000000ffffffffffffffffffffffff"),
    a=_h("ffffffff00000001000000000000000000000000fffffffffffffffffffffffc"),
    b=_h("5ac635d8aa3a93e7b3ebbd55769886bc651d06b0cc53b0f63bce3c3e27d2604b"),
    n=_h("ffffffff00000000ffffffffffffffffbce6faada7179e84f3b9cac2fc632551"),
    gx=_h("6b17d1f2e12c4247f8bce6e563a440f277037d812deb33a0f4a13945d898c296"),
    gy=_h("4fe342e2fe1a7f9b8ee7eb4a7c0f9e162bce33576b315ececbb6406837bf51f5"),
)
_P384 = Curve(
    p=_h("fffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffeffffffff0000000000000000ffffffff"),
    a=_h("fffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffeffffffff0000000000000000fffffffc"),
    b=_h("b3312fa7e23ee7e4988e056be3f82d19181d9c6efe8141120314088f5013875ac656398d8a2ed19d2a85c8edd3ec2aef"),
    n=_h("ffffffffffffffffffffffffffffffffffffffffffffffffc7634d81f4372ddf581a0db248b0a77aecec196accc52973"),
    gx=_h("aa87ca22be8b05378eb1c71ef320ad746e1d3b628ba79b9859f741e082542a385502f25dbf55296c3a545e3872760ab7"),
    gy=_h("3617de4a96262c6f5d9e98bf9292dc29f8f41dbd289a147ce9da3113b5f0b8c00a60b1ce1d7e819d7a431d7c90ea0e5f"),
)
_P521 = Curve(
    p=(1 << 521) - 1,
    a=(1 << 521) - 4,
    b=_h("0051953eb9618e1c9a1f929a21a0b68540eea2da725b99b315f3b8b489918ef109e156193951ec7e937b1652c0bd3bb1bf"
         "073573df883d2c34f1ef451fd46b503f00"),
    n=_h("01" + "ff" * 32 + "fa51868783bf2f966b7fcc0148f709a5d03bb5c9b8899c47aebb6fb71e91386409"),
    gx=_h("00c6858e06b70404e9cd9e3ecb662395b4429c648139053fb521f828af606b4d3dbaa14b5e77efe75928fe1dc127a2ffa8"
          "de3348b3c1856a429bf97e7e31c2e5bd66"),
    gy=_h("011839296a789a3bc0045c8a5fb42c7d1bd998f54449579b446817afbd17273e662c97ee72995ef42640c550b9013fad07"
          "61353c7086a272c24088be94769fd16650"),
)
_BP256 = Curve(
    p=_h("A9FB57DBA1EEA9BC3E660A909D838D726E3BF623D52620282013481D1F6E5377"),
    a=_h("7D5A0975FC2C3057EEF67530417AFFE7FB8055C126DC5C6CE94A4B44F330B5D9"),
    b=_h("26DC5C6CE94A4B44F330B5D9BBD77CBF958416295CF7E1CE6BCCDC18FF8C07B6"),
    n=_h("A9FB57DBA1EEA9BC3E660A909D838D718C397AA3B561A6F7901E0E82974856A7"),
    gx=_h("8BD2AEB9CB7E57CB2C4B482FFC81B7AFB9DE27E1E3BD23C23A4453BD9ACE3262"),
    gy=_h("547EF835C3DAC4FD97F8461A14611DC9C27745132DED8E545C1D54C72F046997"),
)
_BP384 = Curve(
    p=_h("8CB91E82A3386D280F5D6F7E50E641DF152F7109ED5456B412B1DA197FB71123ACD3A729901D1A71874700133107EC53"),
    a=_h("7BC382C63D8C150C3C72080ACE05AFA0C2BEA28E4FB22787139165EFBA91F90F8AA5814A503AD4EB04A8C7DD22CE2826"),
    b=_h("04A8C7DD22CE28268B39B55416F0447C2FB77DE107DCD2A62E880EA53EEB62D57CB4390295DBC9943AB78696FA504C11"),
    n=_h("8CB91E82A3386D280F5D6F7E50E641DF152F7109ED5456B31F166E6CAC0425A7CF3AB6AF6B7FC3103B883202E9046565"),
    gx=_h("1D1C64F068CF45FFA2A63A81B7C13F6B8847A3E77EF14FE3DB7FCAFE0CBD10E8E826E03436D646AAEF87B2E247D4AF1E"),
    gy=_h("8ABE1D7520F9C2A45CB1EB8E95CFD55262B70B29FEEC5864E19C054FF99129280E4646217791811142820341263C5315"),
)
_BP512 = Curve(
    p=_h("AADD9DB8DBE9C48B3FD4E6AE33C9FC07CB308DB3B3C9D20ED6639CCA703308717D4D9B009BC66842AECDA12AE6A380E6"
         "2881FF2F2D82C68528AA6056583A48F3"),
    a=_h("7830A3318B603B89E2327145AC234CC594CBDD8D3DF91610A83441CAEA9863BC2DED5D5AA8253AA10A2EF1C98B9AC8B5"
         "7F1117A72BF2C7B9E7C1AC4D77FC94CA"),
    b=_h("3DF91610A83441CAEA9863BC2DED5D5AA8253AA10A2EF1C98B9AC8B57F1117A72BF2C7B9E7C1AC4D77FC94CADC083E67"
         "984050B75EBAE5DD2809BD638016F723"),
    n=_h("AADD9DB8DBE9C48B3FD4E6AE33C9FC07CB308DB3B3C9D20ED6639CCA70330870553E5C414CA92619418661197FAC1047"
         "1DB1D381085DDADDB58796829CA90069"),
    gx=_h("81AEE4BDD82ED9645A21322E9C4C6A9385ED9F70B5D916C1B43B62EEF4D0098EFF3B1F78E2D0D48D50D1687B93B97D5F"
          "7C6D5047406A5E688B352209BCB9F822"),
    gy=_h("7DDE385D566332ECC0EABFA9CF7822FDF209F70024A57B1AA000C55B881F8111B2DCDE494A5F485E5BCA4BD88A2763AE"
          "D1CA2B2FA8F0540678CD1E0F3AD80892"),
)
_MODP2048 = _h("""
    FFFFFFFF FFFFFFFF C90FDAA2 2168C234 C4C6628B 80DC1CD1 29024E08 8A67CC74 020BBEA6 3B139B22 514A0879 8E3404DD
    EF9519B3 CD3A431B 302B0A6D F25F1437 4FE1356D 6D51C245 E485B576 625E7EC6 F44C42E9 A637ED6B 0BFF5CB6 F406B7ED
    EE386BFB 5A899FA5 AE9F2411 7C4B1FE6 49286651 ECE45B3D C2007CB8 A163BF05 98DA4836 1C55D39A 69163FA8 FD24CF5F
    83655D23 DCA3AD96 1C62F356 208552BB 9ED52907 7096966D 670C354E 4ABC9804 F1746C08 CA18217C 32905E46 2E36CE3B
    E39E772C 180E8603 9B2783A2 EC07A28F B5C55DF0 6F4C52C9 DE2BCBF6 95581718 3995497C EA956AE5 15D22618 98FA0510
    15728E5A 8AACAA68 FFFFFFFF FFFFFFFF""")

GROUPS: dict[int, Group] = {g.number: g for g in (
    Group(19, "NIST P-256", "ecc", 32, 32, _P256),
    Group(20, "NIST P-384", "ecc", 48, 48, _P384),
    Group(21, "NIST P-521", "ecc", 66, 66, _P521),
    Group(25, "NIST P-192", "ecc", 24, 24),
    Group(26, "NIST P-224", "ecc", 28, 28),
    Group(28, "brainpoolP256r1", "ecc", 32, 32, _BP256),
    Group(29, "brainpoolP384r1", "ecc", 48, 48, _BP384),
    Group(30, "brainpoolP512r1", "ecc", 64, 64, _BP512),
    Group(1, "768-bit MODP", "ffc", 96, 96),
    Group(2, "1024-bit MODP", "ffc", 128, 128),
    Group(5, "1536-bit MODP", "ffc", 192, 192),
    Group(14, "2048-bit MODP", "ffc", 256, 256, prime=_MODP2048, order=(_MODP2048 - 1) // 2),
    Group(15, "3072-bit MODP", "ffc", 384, 384),
    Group(16, "4096-bit MODP", "ffc", 512, 512),
    Group(17, "6144-bit MODP", "ffc", 768, 768),
    Group(18, "8192-bit MODP", "ffc", 1024, 1024),
    Group(22, "1024-bit MODP, 160-bit subgroup", "ffc", 128, 20),
    Group(23, "2048-bit MODP, 224-bit subgroup", "ffc", 256, 28),
    Group(24, "2048-bit MODP, 256-bit subgroup", "ffc", 256, 32),
)}


def on_curve(curve: Curve, x: int, y: int) -> bool:
    """y² = x³ + ax + b (mod p), with both coordinates in the field."""
    if not (0 <= x < curve.p and 0 <= y < curve.p):
        return False
    return (y * y - (x * x * x + curve.a * x + curve.b)) % curve.p == 0


def scalar_mult(curve: Curve, k: int, point: tuple[int, int] | None) -> tuple[int, int] | None:
    """k·P in affine coordinates (None is the point at infinity). For tests and PMKID checks."""
    result = None
    addend = point
    while k:
        if k & 1:
            result = _add(curve, result, addend)
        addend = _add(curve, addend, addend)
        k >>= 1
    return result


def _add(c: Curve, p1, p2):
    if p1 is None:
        return p2
    if p2 is None:
        return p1
    (x1, y1), (x2, y2) = p1, p2
    if x1 == x2 and (y1 + y2) % c.p == 0:
        return None
    if p1 == p2:
        lam = (3 * x1 * x1 + c.a) * pow(2 * y1, -1, c.p) % c.p
    else:
        lam = (y2 - y1) * pow(x2 - x1, -1, c.p) % c.p
    x3 = (lam * lam - x1 - x2) % c.p
    return x3, (lam * (x1 - x3) - y1) % c.p
