CLIENT=wpas; KNOBS="akm_swapped=1 tx_noack=1"; EXPECT=failure; WAIT_CONN=20
