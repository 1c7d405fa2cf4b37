/* fuzz-seeds.c
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 *   fuzz-seeds DIR
 *
 * Writes the seed corpus of fuzz-load into DIR: small JPEGs of each kind the
 * loader meets (baseline, progressive, greyscale, 4:4:4, 4:2:0, restart
 * markers) and, larger than 512 px so that a 64 px thumbnail takes the 1/8
 * scale DC-only decoder (derm-jpeg-dc.cpp), a few big ones; plus PNGs made
 * through the library. JPEG files end in 0xD9, odd: fuzz-load decodes them
 * as thumbnails.
 */
#include "derm-imaging.h"
#include "jpeg-gen.h"

#include <stdio.h>
#include <stdlib.h>

static int
write_file (const char *dir, const char *name, const uint8_t *data, size_t size)
{
  char path[4096];
  snprintf (path, sizeof path, "%s/%s", dir, name);
  FILE *f = fopen (path, "wb");
  if (f == NULL || fwrite (data, 1, size, f) != size || fclose (f) != 0)
    {
      fprintf (stderr, "fuzz-seeds: cannot write %s\n", path);
      return 1;
    }
  return 0;
}

int
main (int argc, char **argv)
{
  if (argc != 2)
    {
      fprintf (stderr, "usage: fuzz-seeds DIR\n");
      return 2;
    }
  static const struct
  {
    const char *name;
    JpegGenSpec spec;
  } jpegs[] = {
    { "rgb-420.jpg",         { 32, 24, 80, 3, { 2, 1, 1 }, { 2, 1, 1 }, 0, 0, 0, 0, 40, 1 } },
    { "rgb-444-rst.jpg",     { 33, 17, 90, 3, { 1, 1, 1 }, { 1, 1, 1 }, 2, 0, 0, 0, 40, 2 } },
    { "rgb-progressive.jpg", { 32, 24, 80, 3, { 2, 1, 1 }, { 2, 1, 1 }, 0, 0, 0, 1, 40, 3 } },
    { "grey.jpg",            { 40, 31, 75, 1, { 1 }, { 1 }, 0, 0, 1, 0, 30, 4 } },
    /* > 512 px: the DC-only decoder */
    { "big-420-rst.jpg",     { 600, 520, 50, 3, { 2, 1, 1 }, { 2, 1, 1 }, 5, 0, 0, 0, 20, 5 } },
    { "big-444.jpg",         { 530, 300, 30, 3, { 1, 1, 1 }, { 1, 1, 1 }, 0, 0, 1, 0, 10, 6 } },
    { "big-grey-rst.jpg",    { 700, 515, 60, 1, { 1 }, { 1 }, 0, 1, 0, 0, 20, 7 } },
    { "big-422.jpg",         { 520, 600, 85, 3, { 2, 1, 1 }, { 1, 1, 1 }, 0, 0, 1, 0, 6, 8 } },
  };
  int rc = 0;
  for (size_t i = 0; i < sizeof jpegs / sizeof jpegs[0]; i++)
    {
      size_t size = 0;
      uint8_t *data = jpeg_gen_encode (&jpegs[i].spec, &size);
      rc |= write_file (argv[1], jpegs[i].name, data, size);
      free (data);
    }

  /* PNGs through the library's own encoder. */
  JpegGenSpec s = { 32, 24, 0, 3, { 0 }, { 0 }, 0, 0, 0, 0, 60, 9 };
  uint8_t *rgb = jpeg_gen_pixels (&s);
  DermImage *img = NULL;
  DermError err;
  if (derm_image_new_from_rgb (s.width, s.height, rgb, (size_t) s.width * 3, &img, &err) != DERM_STATUS_OK)
    rc = 1;
  else
    {
      char path[4096];
      snprintf (path, sizeof path, "%s/rgb.png", argv[1]);
      if (derm_image_save (img, path, 0, &err) != DERM_STATUS_OK)
        rc = 1;
      derm_image_free (img);
    }
  free (rgb);
  return rc;
}
