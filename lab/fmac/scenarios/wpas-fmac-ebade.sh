CLIENT=wpas; KNOBS="akm_swapped=1 ext_auth_ebade=1"; EXPECT=failure; WAIT_CONN=20
