CLIENT=wpas; KNOBS="akm_swapped=1"; ACTION=noisy; NOISE_SECS=25; EXPECT="connected; scans and iw polls; disconnect; reconnect"
