CLIENT=iwd;  AP_EXTRA="sae_pwe=1"; EXPECT="iwd forces hunting-and-pecking for FullMAC: the H2E-only AP refuses?"; WAIT_CONN=20
