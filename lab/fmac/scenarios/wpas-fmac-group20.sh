CLIENT=wpas; KNOBS="akm_swapped=1"; AP_EXTRA="sae_groups=20"; CLI_GLOBAL="sae_groups=20"; EXPECT="success with group 20"
