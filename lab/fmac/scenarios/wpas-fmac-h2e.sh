CLIENT=wpas; KNOBS="akm_swapped=1"; AP_EXTRA="sae_pwe=1"; CLI_GLOBAL="sae_pwe=1"; EXPECT="success with H2E"; WAIT_CONN=25
