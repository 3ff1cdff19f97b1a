CLIENT=iwd;  KNOBS="tx_noack=1"; EXPECT=failure; WAIT_CONN=20
