/* jpeg-gen.h
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * JPEG files made with libjpeg for the imaging tests and the fuzz corpus,
 * with the knobs derm_image_save does not offer: sampling factors, restart
 * intervals, optimised Huffman tables, progressive mode. Header-only: each
 * test program that includes it links libjpeg.
 */
#pragma once

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>  /* jpeglib.h needs FILE */
#include <stdlib.h>
#include <string.h>

#include <jpeglib.h>

typedef struct
{
  int      width, height;
  int      quality;         /* 1-100 */
  int      components;      /* 1 (greyscale) or 3 (YCbCr) */
  int      h[3], v[3];      /* sampling factors of Y, Cb, Cr; 0: 1 */
  int      restart_mcus;    /* restart interval in MCUs; 0: none */
  int      restart_rows;    /* or in MCU rows */
  int      optimize;        /* optimised Huffman tables */
  int      progressive;
  int      noise;           /* 0-255: amplitude of pixel noise (many AC terms) */
  uint32_t seed;
} JpegGenSpec;

static inline uint32_t
jpeg_gen_rand (uint32_t *state)
{
  *state = *state * 1664525u + 1013904223u;
  return *state >> 8;
}

/* Pixels of @spec: gradients, a few discs and noise, so that the DC
 * differences and the AC terms cover a wide range. */
static inline uint8_t *
jpeg_gen_pixels (const JpegGenSpec *spec)
{
  const int nc = spec->components;
  uint8_t *px = (uint8_t *) malloc ((size_t) spec->width * spec->height * nc);
  uint32_t st = spec->seed * 2654435761u + 1;
  int cx[4], cy[4], r[4], col[4][3];
  for (int i = 0; i < 4; i++)
    {
      cx[i] = (int) (jpeg_gen_rand (&st) % (unsigned) spec->width);
      cy[i] = (int) (jpeg_gen_rand (&st) % (unsigned) spec->height);
      r[i] = 2 + (int) (jpeg_gen_rand (&st) % (unsigned) (spec->width / 3 + 2));
      for (int c = 0; c < 3; c++)
        col[i][c] = (int) (jpeg_gen_rand (&st) % 256);
    }
  for (int y = 0; y < spec->height; y++)
    for (int x = 0; x < spec->width; x++)
      {
        int v[3] = {
          x * 255 / (spec->width > 1 ? spec->width - 1 : 1),
          y * 255 / (spec->height > 1 ? spec->height - 1 : 1),
          ((x + y) * 7) & 255,
        };
        for (int i = 0; i < 4; i++)
          if ((x - cx[i]) * (x - cx[i]) + (y - cy[i]) * (y - cy[i]) < r[i] * r[i])
            for (int c = 0; c < 3; c++)
              v[c] = col[i][c];
        for (int c = 0; c < nc; c++)
          {
            int n = spec->noise > 0 ? (int) (jpeg_gen_rand (&st) % (unsigned) (2 * spec->noise + 1)) - spec->noise : 0;
            int s = v[c] + n;
            px[((size_t) y * spec->width + x) * nc + c] = (uint8_t) (s < 0 ? 0 : s > 255 ? 255 : s);
          }
      }
  return px;
}

/* The JPEG file of @spec (free() it), its size in *@size. */
static inline uint8_t *
jpeg_gen_encode (const JpegGenSpec *spec, size_t *size)
{
  struct jpeg_compress_struct cinfo;
  struct jpeg_error_mgr jerr;
  unsigned char *out = NULL;
  unsigned long out_size = 0;
  uint8_t *px = jpeg_gen_pixels (spec);

  cinfo.err = jpeg_std_error (&jerr);
  jpeg_create_compress (&cinfo);
  jpeg_mem_dest (&cinfo, &out, &out_size);
  cinfo.image_width = (JDIMENSION) spec->width;
  cinfo.image_height = (JDIMENSION) spec->height;
  cinfo.input_components = spec->components;
  cinfo.in_color_space = spec->components == 1 ? JCS_GRAYSCALE : JCS_RGB;
  jpeg_set_defaults (&cinfo);
  jpeg_set_quality (&cinfo, spec->quality, TRUE);
  for (int c = 0; c < spec->components; c++)
    {
      cinfo.comp_info[c].h_samp_factor = spec->h[c] > 0 ? spec->h[c] : 1;
      cinfo.comp_info[c].v_samp_factor = spec->v[c] > 0 ? spec->v[c] : 1;
    }
  cinfo.restart_interval = (unsigned int) spec->restart_mcus;
  cinfo.restart_in_rows = spec->restart_rows;
  cinfo.optimize_coding = spec->optimize ? TRUE : FALSE;
  if (spec->progressive)
    jpeg_simple_progression (&cinfo);
  jpeg_start_compress (&cinfo, TRUE);
  while (cinfo.next_scanline < cinfo.image_height)
    {
      JSAMPROW row = px + (size_t) cinfo.next_scanline * spec->width * spec->components;
      jpeg_write_scanlines (&cinfo, &row, 1);
    }
  jpeg_finish_compress (&cinfo);
  jpeg_destroy_compress (&cinfo);
  free (px);
  *size = out_size;
  return out;
}
