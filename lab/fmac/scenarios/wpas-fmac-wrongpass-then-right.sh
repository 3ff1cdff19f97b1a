CLIENT=wpas; KNOBS="akm_swapped=1"; CLI_PASS='wrong password 12345'; ACTION=fixpass; FIX_AFTER=2; EXPECT="failures, then success after the password is corrected"; WAIT_CONN=40
