CLIENT=wpas; KNOBS="akm_swapped=1 status16=1"; CLI_PASS='wrong password 12345'; EXPECT=failure; WAIT_CONN=20
