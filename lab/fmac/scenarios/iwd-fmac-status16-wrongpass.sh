CLIENT=iwd;  KNOBS="status16=1"; CLI_PASS='wrong password 12345'; EXPECT=failure; WAIT_CONN=20
