/* derm-imaging-testing.h
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Test-only entry points into the imaging library's internals, for
 * tests/imaging: not part of the API, not for the app.
 */
#pragma once

#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

/* Runs the DC-only 1/8 scale JPEG decoder (derm-jpeg-dc.cpp) alone on @data.
 * Returns 1 when it decoded the file: *@pixels (free() it) holds
 * *@width x *@height pixels of 3 bytes, packed, in B, G, R order, or with
 * @ycc Y, Cb, Cr before colour conversion (greyscale: Y three times).
 * Returns 0 when it refused the file (libjpeg would decode it instead), -1
 * when libjpeg cannot read the header, -2 on an internal error. */
int derm_testing_jpeg_dc_decode (const uint8_t *data,
                                 size_t         size,
                                 int            ycc,
                                 uint8_t      **pixels,
                                 int           *width,
                                 int           *height);

#ifdef __cplusplus
}
#endif
