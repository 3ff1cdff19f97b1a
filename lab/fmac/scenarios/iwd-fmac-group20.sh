CLIENT=iwd;  AP_EXTRA="sae_groups=20"; EXPECT="iwd forces group 19 for FullMAC: status 77?"; WAIT_CONN=20
