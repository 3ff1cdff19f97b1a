CLIENT=wpas; KNOBS="akm_swapped=1 drop_auth_rx=1"; EXPECT=failure; WAIT_CONN=20
