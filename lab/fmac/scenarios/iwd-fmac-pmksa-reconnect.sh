CLIENT=iwd;  RECONNECT=1; EXPECT="connected, reconnected with the host PMKSA (no SAE)"
