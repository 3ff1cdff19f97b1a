CLIENT=wpas; KNOBS="akm_swapped=1"; RECONNECT=1; EXPECT="connected, reconnected with the host PMKSA (no SAE)"
