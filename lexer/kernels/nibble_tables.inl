// The nibble tables every vector classifier uses, included inside each kernel's anonymous
// namespace. Threading: constants.
// Byte classes by nibble: a byte is in a class when (kLow[lo] & kHigh[hi]) has one of the class's
// bits. 1, 2, 4: the specials of rows 2, 5 and 7; 8 space; 16 tab; 32 line end; 64 '\\'; 128 '%'.
alignas(16) constexpr std::uint8_t kLow[16] = {8, 0,  0,  1, 1,  129, 1, 0,
                                               0, 16, 32, 6, 66, 38,  6, 2};
alignas(16) constexpr std::uint8_t kHigh[16] = {48, 0, 137, 0, 0, 66, 0, 4, 0, 0, 0, 0, 0, 0, 0, 0};
