// Compiles the precompiled GoogleTest/GoogleMock header that every test target reuses.
