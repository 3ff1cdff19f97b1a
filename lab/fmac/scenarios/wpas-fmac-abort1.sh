CLIENT=wpas; KNOBS="akm_swapped=1 abort_after=1"; EXPECT=failure; WAIT_CONN=20
