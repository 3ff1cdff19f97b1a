CLIENT=iwd;  KNOBS="abort_after=1"; EXPECT=failure; WAIT_CONN=20
