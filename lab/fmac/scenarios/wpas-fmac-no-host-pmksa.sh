CLIENT=wpas; KNOBS="akm_swapped=1 no_host_pmksa=1"; RECONNECT=1; EXPECT="reconnect: the firmware asks for SAE although CONNECT offers a PMKID"
