CLIENT=iwd;  CLI_PASS='wrong password 12345'; EXPECT=failure; WAIT_CONN=20
