CLIENT=iwd;  KNOBS="drop_auth_rx=1"; EXPECT=failure; WAIT_CONN=20
