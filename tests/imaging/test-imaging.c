/* test-imaging.c
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The imaging library against scikit-image (run with /usr/bin/python3 on the
 * same pixels), against answers known by construction, and on bad input;
 * the DC-only JPEG thumbnail decoder against libjpeg.
 */
#include "derm-imaging.h"
#include "derm-imaging-testing.h"
#include "jpeg-gen.h"

#include <glib.h>
#include <glib/gstdio.h>
#include <math.h>
#include <setjmp.h>
#include <string.h>

static char *tmp_dir;
static const char *source_dir;

/* ------------------------------------------------------------ helpers */

static char *
tmp_path (const char *name)
{
  return g_build_filename (tmp_dir, name, NULL);
}

static char *
run_python (const char *const *args)
{
  g_autofree char *script = g_build_filename (source_dir, "tests", "reference", "skimage_reference.py", NULL);
  g_autoptr (GPtrArray) argv = g_ptr_array_new ();
  g_ptr_array_add (argv, (gpointer) "/usr/bin/python3");
  g_ptr_array_add (argv, script);
  for (; *args != NULL; args++)
    g_ptr_array_add (argv, (gpointer) *args);
  g_ptr_array_add (argv, NULL);
  g_autoptr (GError) error = NULL;
  char *out = NULL;
  g_autofree char *err_out = NULL;
  int status = 0;
  g_spawn_sync (NULL, (char **) argv->pdata, NULL, G_SPAWN_DEFAULT, NULL, NULL, &out, &err_out, &status, &error);
  g_assert_no_error (error);
  if (!g_spawn_check_wait_status (status, NULL))
    g_error ("reference script failed: %s", err_out);
  return out;
}

static DermImage *
image_from_rgb (int w, int h, const guint8 *rgb)
{
  DermImage *img = NULL;
  DermError err;
  g_assert_cmpint (derm_image_new_from_rgb (w, h, rgb, (size_t) w * 3, &img, &err), ==, DERM_STATUS_OK);
  return img;
}

static guint8 *
image_rgb (const DermImage *img)
{
  int w = derm_image_get_width (img), h = derm_image_get_height (img);
  guint8 *rgb = g_malloc ((size_t) w * h * 3);
  derm_image_copy_rgb (img, rgb, (size_t) w * 3);
  return rgb;
}

static DermAnalysis *
analyze (const DermImage *img, const DermRoi *roi, const DermAnalysisSettings *s)
{
  DermAnalysis *a = NULL;
  DermError err;
  int status = derm_analyze (img, roi, s, &a, &err);
  if (status != DERM_STATUS_OK)
    g_error ("analyze: %s", err.message);
  return a;
}

static GHashTable *
parse_reference (const char *path)
{
  g_autofree char *text = NULL;
  g_assert_true (g_file_get_contents (path, &text, NULL, NULL));
  GHashTable *t = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  g_auto (GStrv) lines = g_strsplit (text, "\n", -1);
  for (char **l = lines; *l != NULL; l++)
    {
      g_auto (GStrv) kv = g_strsplit (*l, " ", 2);
      if (kv[0] != NULL && kv[1] != NULL)
        {
          double *v = g_new (double, 1);
          *v = g_ascii_strtod (kv[1], NULL);
          g_hash_table_insert (t, g_strdup (kv[0]), v);
        }
    }
  return t;
}

static double
ref (GHashTable *t, const char *key)
{
  double *v = g_hash_table_lookup (t, key);
  if (v == NULL)
    g_error ("reference lacks %s", key);
  return *v;
}

/* Runs the library and scikit-image over @mask (nullable: @roi or whole) and
 * asserts the agreement IMAGING.md promises. */
static void
compare_with_skimage (const DermImage *img, const DermRoi *roi, const guint8 *mask, const char *name)
{
  int w = derm_image_get_width (img), h = derm_image_get_height (img);
  g_autofree guint8 *rgb = image_rgb (img);
  g_autofree guint8 *levels = g_malloc ((size_t) w * h);
  derm_image_copy_texture_levels (img, levels);
  g_autofree char *rgb_path = tmp_path ("ref.rgb");
  g_autofree char *lev_path = g_strconcat (rgb_path, ".levels", NULL);
  g_autofree char *mask_path = tmp_path ("ref.mask");
  g_autofree char *out_path = tmp_path ("ref.txt");
  g_assert_true (g_file_set_contents (rgb_path, (char *) rgb, (gssize) w * h * 3, NULL));
  g_assert_true (g_file_set_contents (lev_path, (char *) levels, (gssize) w * h, NULL));
  if (mask != NULL)
    g_assert_true (g_file_set_contents (mask_path, (const char *) mask, (gssize) w * h, NULL));
  g_autofree char *ws = g_strdup_printf ("%d", w), *hs = g_strdup_printf ("%d", h);
  const char *args[] = { "metrics", rgb_path, ws, hs, mask != NULL ? mask_path : "none", out_path, NULL };
  g_free (run_python (args));
  g_autoptr (GHashTable) r = parse_reference (out_path);

  DermAnalysis *a = analyze (img, roi, NULL);
  DermRednessMetrics red;
  DermTextureMetrics tex;
  DermToneMetrics tone;
  derm_analysis_get_redness (a, &red);
  derm_analysis_get_texture (a, &tex);
  derm_analysis_get_tone (a, &tone);
  g_test_message ("%s: roughness %.6f/%.6f, L* unevenness %.6f/%.6f (dermis/scipy)", name, tex.roughness,
                  ref (r, "roughness"), tone.l_unevenness, ref (r, "l_unevenness"));
  /* Float blurs against double; unevenness of a large region is taken on a
   * lattice of step sigma / 2 (derm-analysis.cpp) */
  g_assert_cmpfloat (fabs (tex.roughness - ref (r, "roughness")), <=, 1e-4 * (1 + ref (r, "roughness")));
  g_assert_cmpfloat (fabs (tone.l_unevenness - ref (r, "l_unevenness")), <=, 2e-3 * ref (r, "l_unevenness") + 1e-4);
  g_test_message ("%s: %" G_GUINT64_FORMAT " px, a* mean %.4f/%.4f median %.4f/%.4f p90 %.4f/%.4f (dermis/skimage)",
                  name, derm_analysis_get_pixel_count (a), red.a_mean, ref (r, "a_mean"),
                  red.a_median, ref (r, "a_median"), red.a_p90, ref (r, "a_p90"));
  g_assert_cmpfloat (ref (r, "levels_match"), ==, 1.0);
  g_assert_cmpuint (derm_analysis_get_pixel_count (a), ==, (guint64) ref (r, "n_pixels"));
  g_assert_cmpfloat_with_epsilon (red.a_mean, ref (r, "a_mean"), 0.05);
  g_assert_cmpfloat_with_epsilon (red.a_median, ref (r, "a_median"), 0.05);
  g_assert_cmpfloat_with_epsilon (red.a_p90, ref (r, "a_p90"), 0.05);
  for (int d = 0; d < DERM_GLCM_N_DISTANCES; d++)
    {
      const DermGlcmProperties *p = &tex.glcm[d];
      struct { const char *name; double v; } props[] = {
        { "contrast", p->contrast }, { "dissimilarity", p->dissimilarity },
        { "homogeneity", p->homogeneity }, { "ASM", p->asm_value }, { "energy", p->energy },
        { "correlation", p->correlation }, { "entropy", p->entropy },
      };
      for (guint i = 0; i < G_N_ELEMENTS (props); i++)
        {
          g_autofree char *key = g_strdup_printf ("%s_d%d", props[i].name, p->distance);
          double expected = ref (r, key);
          if (fabs (props[i].v - expected) > 1e-9)
            g_error ("%s: GLCM %s = %.15g, skimage %.15g", name, key, props[i].v, expected);
        }
    }
  derm_analysis_free (a);
}

static char *
skimage_sample (const char *file)
{
  const char *args[] = { "datadir", NULL };
  g_autofree char *dir = run_python (args);
  g_strstrip (dir);
  return g_build_filename (dir, file, NULL);
}

static DermImage *
load (const char *path)
{
  DermImage *img = NULL;
  DermError err;
  if (derm_image_load_file (path, NULL, &img, &err) != DERM_STATUS_OK)
    g_error ("load %s: %s", path, err.message);
  return img;
}

static guint8 *
random_rgb (GRand *rnd, int w, int h, gboolean smooth)
{
  guint8 *rgb = g_malloc ((size_t) w * h * 3);
  for (int i = 0; i < w * h * 3; i++)
    rgb[i] = (guint8) g_rand_int_range (rnd, 0, 256);
  if (smooth)
    for (int pass = 0; pass < 3; pass++)
      for (int y = 0; y < h; y++)
        for (int x = 1; x < w; x++)
          for (int c = 0; c < 3; c++)
            rgb[(y * w + x) * 3 + c] = (guint8) ((rgb[(y * w + x) * 3 + c] + rgb[(y * w + x - 1) * 3 + c] + 1) / 2);
  return rgb;
}

/* ------------------------------------------------------------ scikit-image */

/* The pixels of @img that @roi covers, from the library's own rasterisation
 * (the a* map's alpha), so the reference and the library measure the same */
static void
polygon_mask (const DermImage *img, const DermRoi *roi, guint8 *mask)
{
  int w = derm_image_get_width (img), h = derm_image_get_height (img);
  DermMap *map = NULL;
  DermError err;
  size_t stride;

  g_assert_cmpint (derm_map_new_a_star (img, roi, NULL, &map, &err), ==, DERM_STATUS_OK);
  const guint8 *px = derm_map_get_rgba (map, NULL, NULL, &stride);
  for (int y = 0; y < h; y++)
    for (int x = 0; x < w; x++)
      mask[(size_t) y * w + x] = px[y * stride + 4 * x + 3] != 0;
  derm_map_free (map);
}

static void
test_reference_sample_photos (void)
{
  const char *files[] = { "astronaut.png", "coffee.png", "chelsea.png", "rocket.jpg" };
  for (guint i = 0; i < G_N_ELEMENTS (files); i++)
    {
      g_autofree char *path = skimage_sample (files[i]);
      if (!g_file_test (path, G_FILE_TEST_EXISTS))
        {
          g_assert_cmpuint (i, >=, 3);  /* the first three ship with every python3-skimage */
          continue;
        }
      DermImage *img = load (path);
      compare_with_skimage (img, NULL, NULL, files[i]);
      if (i == 0)
        {
          /* A large polygon (512 px each way: unevenness on its lattice,
           * only inside the region) */
          int w = derm_image_get_width (img), h = derm_image_get_height (img);
          double pts[] = { 0, 0, w - 0.5, 0, w - 0.5, h - 0.5, 100, h - 0.5, 0, h - 140.0 };
          DermRoi pent = { DERM_ROI_POLYGON, 0, 0, 0, 0, pts, 5 };
          g_autofree guint8 *mask = g_malloc0 ((size_t) w * h);
          polygon_mask (img, &pent, mask);
          compare_with_skimage (img, &pent, mask, "astronaut polygon");
        }
      derm_image_free (img);
    }
}

static void
test_reference_random_images (void)
{
  g_autoptr (GRand) rnd = g_rand_new_with_seed (20240601);
  for (int k = 0; k < 4; k++)
    {
      int w = g_rand_int_range (rnd, 40, 260), h = g_rand_int_range (rnd, 40, 200);
      g_autofree guint8 *rgb = random_rgb (rnd, w, h, k % 2 == 1);
      DermImage *img = image_from_rgb (w, h, rgb);
      compare_with_skimage (img, NULL, NULL, "random whole");

      /* A rectangle is the same as a polygon mask of the rectangle. */
      DermRoi rect = { DERM_ROI_RECT, w / 5, h / 4, w / 2, h / 2, NULL, 0 };
      g_autofree guint8 *mask = g_malloc0 ((size_t) w * h);
      for (int y = rect.y; y < rect.y + rect.height; y++)
        memset (mask + (size_t) y * w + rect.x, 1, (size_t) rect.width);
      compare_with_skimage (img, &rect, mask, "random rect");

      /* A triangle: the reference mask is the library's own rasterisation
       * checked by pixel count, so the two cover the same pixels. */
      double pts[] = { 3, 2, w - 4.0, h / 3.0, w / 3.0, h - 3.0 };
      DermRoi tri = { DERM_ROI_POLYGON, 0, 0, 0, 0, pts, 3 };
      polygon_mask (img, &tri, mask);
      compare_with_skimage (img, &tri, mask, "random polygon");
      derm_image_free (img);
    }
}

/* ------------------------------------------------------------ known answers */

static double
srgb_lin (double v)
{
  return v > 0.04045 ? pow ((v + 0.055) / 1.055, 2.4) : v / 12.92;
}

static double
lab_f (double t)
{
  return t > 0.008856 ? cbrt (t) : 7.787 * t + 16.0 / 116.0;
}

static void
test_redness_uniform_patch (void)
{
  const guint8 colours[][3] = { { 200, 120, 100 }, { 255, 0, 0 }, { 30, 200, 40 }, { 128, 128, 128 }, { 230, 190, 170 }, { 10, 5, 3 } };
  for (guint i = 0; i < G_N_ELEMENTS (colours); i++)
    {
      const int w = 40, h = 30;
      g_autofree guint8 *rgb = g_malloc ((size_t) w * h * 3);
      for (int p = 0; p < w * h; p++)
        memcpy (rgb + 3 * p, colours[i], 3);
      double r = srgb_lin (colours[i][0] / 255.0), g = srgb_lin (colours[i][1] / 255.0), b = srgb_lin (colours[i][2] / 255.0);
      double X = (0.412453 * r + 0.357580 * g + 0.180423 * b) / 0.95047;
      double Y = 0.212671 * r + 0.715160 * g + 0.072169 * b;
      double Z = (0.019334 * r + 0.119193 * g + 0.950227 * b) / 1.08883;
      double L = 116 * lab_f (Y) - 16, astar = 500 * (lab_f (X) - lab_f (Y)), bstar = 200 * (lab_f (Y) - lab_f (Z));
      double ei = 100 * log10 (MAX (r, 1 / 4096.0) / MAX (g, 1 / 4096.0));
      double ita = atan2 (L - 50, bstar) * 180 / G_PI;

      DermImage *img = image_from_rgb (w, h, rgb);
      DermAnalysis *a = analyze (img, NULL, NULL);
      DermRednessMetrics red;
      DermToneMetrics tone;
      DermTextureMetrics tex;
      derm_analysis_get_redness (a, &red);
      derm_analysis_get_tone (a, &tone);
      derm_analysis_get_texture (a, &tex);
      g_test_message ("rgb %d,%d,%d: a* %.4f expected %.4f", colours[i][0], colours[i][1], colours[i][2], red.a_mean, astar);
      g_assert_cmpfloat_with_epsilon (red.a_mean, astar, 1e-3);
      g_assert_cmpfloat_with_epsilon (red.a_median, astar, 0.011);
      g_assert_cmpfloat_with_epsilon (red.a_p90, astar, 0.011);
      g_assert_cmpfloat_with_epsilon (red.ei_mean, ei, 1e-3);
      g_assert_cmpfloat (red.red_area_pct, ==, astar >= DERM_DEFAULT_RED_THRESHOLD ? 100.0 : 0.0);
      g_assert_cmpfloat_with_epsilon (tone.l_mean, L, 1e-3);
      g_assert_cmpfloat_with_epsilon (tone.ita_mean, ita, 1e-2);
      g_assert_cmpfloat_with_epsilon (tone.l_unevenness, 0.0, 1e-3);
      g_assert_cmpfloat_with_epsilon (tex.roughness, 0.0, 1e-3);
      g_assert_cmpfloat (tex.glcm[0].contrast, ==, 0.0);
      g_assert_cmpfloat (tex.glcm[0].energy, ==, 1.0);
      derm_analysis_free (a);
      derm_image_free (img);
    }
}

static void
test_redness_blotch_area (void)
{
  const int w = 300, h = 200;
  g_autoptr (GRand) rnd = g_rand_new_with_seed (5);
  g_autofree guint8 *rgb = g_malloc ((size_t) w * h * 3);
  for (int p = 0; p < w * h; p++)
    {
      int n = g_rand_int_range (rnd, -6, 7);
      rgb[3 * p] = (guint8) (215 + n);
      rgb[3 * p + 1] = (guint8) (185 + n);
      rgb[3 * p + 2] = (guint8) (165 + n);
    }
  DermImage *plain = image_from_rgb (w, h, rgb);
  /* A disc of strongly red skin. */
  int area = 0;
  for (int y = 0; y < h; y++)
    for (int x = 0; x < w; x++)
      if ((x - 150) * (x - 150) + (y - 90) * (y - 90) <= 50 * 50)
        {
          rgb[3 * (y * w + x) + 1] = 90;
          rgb[3 * (y * w + x) + 2] = 95;
          area++;
        }
  DermImage *blotched = image_from_rgb (w, h, rgb);
  DermAnalysis *a0 = analyze (plain, NULL, NULL), *a1 = analyze (blotched, NULL, NULL);
  DermRednessMetrics r0, r1;
  derm_analysis_get_redness (a0, &r0);
  derm_analysis_get_redness (a1, &r1);
  double expected = 100.0 * area / (w * h);
  g_test_message ("red area %.3f%% -> %.3f%%, blotch %.3f%%", r0.red_area_pct, r1.red_area_pct, expected);
  g_assert_cmpfloat_with_epsilon (r1.red_area_pct - r0.red_area_pct, expected, 0.5);
  g_assert_cmpfloat (r1.a_mean, >, r0.a_mean);
  derm_analysis_free (a0);
  derm_analysis_free (a1);
  derm_image_free (plain);
  derm_image_free (blotched);
}

static guint8 *
gaussian_blur_rgb (const guint8 *rgb, int w, int h)
{
  static const double k[5] = { 0.0625, 0.25, 0.375, 0.25, 0.0625 };
  g_autofree double *tmp = g_new0 (double, (size_t) w * h * 3);
  guint8 *out = g_malloc ((size_t) w * h * 3);
  for (int y = 0; y < h; y++)
    for (int x = 0; x < w; x++)
      for (int c = 0; c < 3; c++)
        {
          double s = 0;
          for (int t = -2; t <= 2; t++)
            s += k[t + 2] * rgb[(y * w + CLAMP (x + t, 0, w - 1)) * 3 + c];
          tmp[(y * w + x) * 3 + c] = s;
        }
  for (int y = 0; y < h; y++)
    for (int x = 0; x < w; x++)
      for (int c = 0; c < 3; c++)
        {
          double s = 0;
          for (int t = -2; t <= 2; t++)
            s += k[t + 2] * tmp[(CLAMP (y + t, 0, h - 1) * w + x) * 3 + c];
          out[(y * w + x) * 3 + c] = (guint8) lround (s);
        }
  return out;
}

static void
test_texture_blur_lowers (void)
{
  g_autofree char *path = skimage_sample ("astronaut.png");
  DermImage *img = load (path);
  g_autoptr (GRand) rnd = g_rand_new_with_seed (11);
  int w = derm_image_get_width (img), h = derm_image_get_height (img);
  g_autofree guint8 *rgb = image_rgb (img);
  g_autofree guint8 *noisy_rgb = random_rgb (rnd, w, h, FALSE);
  for (int i = 0; i < w * h * 3; i++)
    noisy_rgb[i] = (guint8) CLAMP (rgb[i] + (noisy_rgb[i] - 128) / 8, 0, 255);
  const guint8 *inputs[] = { rgb, noisy_rgb };
  for (guint i = 0; i < G_N_ELEMENTS (inputs); i++)
    {
      g_autofree guint8 *blurred = gaussian_blur_rgb (inputs[i], w, h);
      DermImage *sharp_img = image_from_rgb (w, h, inputs[i]), *blur_img = image_from_rgb (w, h, blurred);
      DermAnalysis *a0 = analyze (sharp_img, NULL, NULL), *a1 = analyze (blur_img, NULL, NULL);
      DermTextureMetrics t0, t1;
      derm_analysis_get_texture (a0, &t0);
      derm_analysis_get_texture (a1, &t1);
      g_test_message ("roughness %.4f -> %.4f, contrast d1 %.4f -> %.4f", t0.roughness, t1.roughness, t0.glcm[0].contrast, t1.glcm[0].contrast);
      g_assert_cmpfloat (t1.roughness, <, t0.roughness);
      for (int d = 0; d < DERM_GLCM_N_DISTANCES; d++)
        g_assert_cmpfloat (t1.glcm[d].contrast, <, t0.glcm[d].contrast);
      derm_analysis_free (a0);
      derm_analysis_free (a1);
      derm_image_free (sharp_img);
      derm_image_free (blur_img);
    }
  derm_image_free (img);
}

static void
test_white_balance_grey_world (void)
{
  /* A neutral grey chart under a warm cast: grey-world brings a* and b* to 0. */
  const int w = 64, h = 64;
  g_autofree guint8 *rgb = g_malloc ((size_t) w * h * 3);
  for (int p = 0; p < w * h; p++)
    {
      double v = srgb_lin ((60 + (p % w) * 2) / 255.0);
      rgb[3 * p] = (guint8) lround (255 * pow (MIN (1.0, v * 1.3), 1 / 2.2));
      rgb[3 * p + 1] = (guint8) lround (255 * pow (v, 1 / 2.2));
      rgb[3 * p + 2] = (guint8) lround (255 * pow (v * 0.7, 1 / 2.2));
    }
  DermImage *img = image_from_rgb (w, h, rgb);
  DermAnalysisSettings s;
  derm_analysis_settings_init (&s);
  DermAnalysis *none = analyze (img, NULL, &s);
  s.wb_mode = DERM_WB_GREY_WORLD;
  DermAnalysis *gw = analyze (img, NULL, &s);
  s.wb_mode = DERM_WB_PATCH;
  s.patch_x = 10, s.patch_y = 10, s.patch_width = 20, s.patch_height = 20;
  DermAnalysis *patch = analyze (img, NULL, &s);
  DermRednessMetrics r0, r1, r2;
  derm_analysis_get_redness (none, &r0);
  derm_analysis_get_redness (gw, &r1);
  derm_analysis_get_redness (patch, &r2);
  double gains[3];
  derm_analysis_get_wb_gains (gw, gains);
  g_test_message ("a* none %.3f grey-world %.3f patch %.3f; gains %.3f %.3f %.3f", r0.a_mean, r1.a_mean, r2.a_mean, gains[0], gains[1], gains[2]);
  g_assert_cmpfloat (fabs (r0.a_mean), >, 2.0);
  g_assert_cmpfloat (fabs (r1.a_mean), <, 0.2);
  g_assert_cmpfloat (fabs (r2.a_mean), <, 0.2);
  g_assert_cmpfloat (gains[0], <, 1.0);
  g_assert_cmpfloat (gains[2], >, 1.0);
  DermAnalysisSettings stored;
  derm_analysis_get_settings (patch, &stored);
  g_assert_cmpint (stored.wb_mode, ==, DERM_WB_PATCH);
  g_assert_cmpint (stored.patch_width, ==, 20);
  g_assert_cmpint (derm_analysis_get_algorithm_version (patch), ==, DERM_IMAGING_ALGORITHM_VERSION);
  derm_analysis_free (none);
  derm_analysis_free (gw);
  derm_analysis_free (patch);
  derm_image_free (img);
}

/* ------------------------------------------------------------ alignment */

static DermImage *
alignment_test_image (void)
{
  /* astronaut.png, 4x up to 2048 px (so alignment works on a downscaled
   * copy), with pore-scale texture that moves with the photo. */
  g_autofree char *path = skimage_sample ("astronaut.png");
  DermImage *small = load (path);
  const double s = 4.0;
  double up[9] = { s, 0, 0.5 * s - 0.5, 0, s, 0.5 * s - 0.5, 0, 0, 1 };
  DermImage *big = NULL;
  DermError err;
  g_assert_cmpint (derm_image_warp (small, up, 2048, 2048, &big, &err), ==, DERM_STATUS_OK);
  g_autofree guint8 *rgb = image_rgb (big);
  g_autoptr (GRand) rnd = g_rand_new_with_seed (3);
  for (int i = 0; i < 2048 * 2048; i++)
    {
      int n = g_rand_int_range (rnd, -10, 11);
      for (int c = 0; c < 3; c++)
        rgb[3 * i + c] = (guint8) CLAMP (rgb[3 * i + c] + n, 0, 255);
    }
  derm_image_free (small);
  derm_image_free (big);
  return image_from_rgb (2048, 2048, rgb);
}

static void
project (const double *h, double x, double y, double *ox, double *oy)
{
  double w = h[6] * x + h[7] * y + h[8];
  *ox = (h[0] * x + h[1] * y + h[2]) / w;
  *oy = (h[3] * x + h[4] * y + h[5]) / w;
}

/* before -> after: rotation @th (radians), scale @sc, shift (@tx, @ty) and
 * perspective (@px, @py) about the centre of a @W x @H photo:
 * T(c) * [A t; p 1] * T(-c) */
static void
pose_homography (double th, double sc, double tx, double ty, double px, double py, int W, int H, double hgt[9])
{
  double c = cos (th) * sc, s = sin (th) * sc, cx = W / 2.0, cy = H / 2.0;
  double A[9] = { c, -s, tx, s, c, ty, px, py, 1 };
  double Tm[9] = { 1, 0, -cx, 0, 1, -cy, 0, 0, 1 }, Tp[9] = { 1, 0, cx, 0, 1, cy, 0, 0, 1 };
  double tmp[9];
  for (int i = 0; i < 3; i++)
    for (int j = 0; j < 3; j++)
      {
        tmp[i * 3 + j] = 0;
        for (int k = 0; k < 3; k++)
          tmp[i * 3 + j] += A[i * 3 + k] * Tm[k * 3 + j];
      }
  for (int i = 0; i < 3; i++)
    for (int j = 0; j < 3; j++)
      {
        hgt[i * 3 + j] = 0;
        for (int k = 0; k < 3; k++)
          hgt[i * 3 + j] += Tp[i * 3 + k] * tmp[k * 3 + j];
      }
}

/* Largest distance by which @W x @H's corners miss home when sent through
 * the truth @hgt (before -> after) and back through @h (after -> before) */
static double
worst_corner_error (const double hgt[9], const double h[9], int W, int H)
{
  const double corners[4][2] = { { 0, 0 }, { W - 1, 0 }, { W - 1, H - 1 }, { 0, H - 1 } };
  double worst = 0;
  for (int k = 0; k < 4; k++)
    {
      double ax, ay, bx, by;
      project (hgt, corners[k][0], corners[k][1], &ax, &ay);
      project (h, ax, ay, &bx, &by);
      worst = MAX (worst, hypot (bx - corners[k][0], by - corners[k][1]));
    }
  return worst;
}

static int
cmp_double (gconstpointer a, gconstpointer b)
{
  double x = *(const double *) a, y = *(const double *) b;
  return x < y ? -1 : x > y;
}

static void
test_align_random_homographies (void)
{
  DermImage *before = alignment_test_image ();
  const int W = 2048, H = 2048;
  g_autoptr (GRand) rnd = g_rand_new_with_seed (42);
  g_autoptr (GArray) errors = g_array_new (FALSE, FALSE, sizeof (double));
  for (int trial = 0; trial < 20; trial++)
    {
      /* before -> after: rotation, scale, shift and mild perspective about the centre. */
      double th = g_rand_double_range (rnd, -15, 15) * G_PI / 180;
      double sc = exp (g_rand_double_range (rnd, log (0.8), log (1.25)));
      double tx = g_rand_double_range (rnd, -60, 60), ty = g_rand_double_range (rnd, -60, 60);
      double px = g_rand_double_range (rnd, -4e-5, 4e-5), py = g_rand_double_range (rnd, -4e-5, 4e-5);
      double hgt[9];
      pose_homography (th, sc, tx, ty, px, py, W, H, hgt);

      DermImage *warped = NULL;
      DermError err;
      g_assert_cmpint (derm_image_warp (before, hgt, W, H, &warped, &err), ==, DERM_STATUS_OK);
      /* A different day: brighter, and a warmer white balance. */
      g_autofree guint8 *rgb = image_rgb (warped);
      double gain = g_rand_double_range (rnd, 0.8, 1.2);
      for (int i = 0; i < W * H; i++)
        {
          rgb[3 * i] = (guint8) CLAMP (rgb[3 * i] * gain * 1.08 + 5, 0, 255);
          rgb[3 * i + 1] = (guint8) CLAMP (rgb[3 * i + 1] * gain + 5, 0, 255);
          rgb[3 * i + 2] = (guint8) CLAMP (rgb[3 * i + 2] * gain * 0.9 + 5, 0, 255);
        }
      DermImage *after = image_from_rgb (W, H, rgb);

      DermAlignment *al = NULL;
      int status = derm_align (before, after, NULL, &al, &err);
      if (status != DERM_STATUS_OK)
        g_error ("trial %d: %s", trial, err.message);
      DermAlignmentResult res;
      derm_alignment_get_result (al, &res);
      /* res.h maps after -> before; through the truth, corners must come home. */
      double worst = worst_corner_error (hgt, res.h, W, H);
      g_array_append_val (errors, worst);
      g_test_message ("trial %2d: rot %.1f scale %.3f -> %d inliers, ratio %.2f, rms %.3f px, worst corner %.3f px",
                      trial, th * 180 / G_PI, sc, res.n_inliers, res.inlier_ratio, res.rms_error, worst);
      /* The whole after photo is warped only when asked for, from the
       * alignment's own reference to its pixels; the overlap reported
       * without warping is the warp's valid fraction to a border pixel */
      derm_image_free (after);
      g_assert_nonnull (derm_alignment_get_warped (al));
      g_assert_cmpint (derm_image_get_width (derm_alignment_get_warped (al)), ==, W);
      {
        g_autofree guint8 *rgba = g_malloc ((gsize) W * H * 4);
        guint64 n_valid = 0;

        derm_image_copy_rgba (derm_alignment_get_warped (al), rgba, (size_t) W * 4);
        for (gsize i = 0; i < (gsize) W * H; i++)
          n_valid += rgba[4 * i + 3] != 0;
        g_assert_cmpfloat (fabs (res.overlap - (double) n_valid / ((double) W * H)), <, 2.0 * (W + H) / ((double) W * H));
      }
      derm_alignment_free (al);
      derm_image_free (warped);
    }
  g_array_sort (errors, cmp_double);
  double median = (g_array_index (errors, double, errors->len / 2 - 1) + g_array_index (errors, double, errors->len / 2)) / 2;
  g_test_message ("median corner error over 20 trials: %.3f px (max %.3f)", median, g_array_index (errors, double, errors->len - 1));
  g_assert_cmpfloat (median, <, 1.0);
  derm_image_free (before);
}

/* Smooth skin: tone that varies slowly and fine texture of about one grey
 * level, as on the smoothest repeat-photo scene (whose pairs ORB found too
 * few corners to align at its usual threshold, 28-39 matches). Aligned
 * after a local-contrast pass, back to the truth within a pixel. */
static void
test_align_smooth_skin (void)
{
  const int W = 640, H = 440;
  g_autoptr (GRand) rnd = g_rand_new_with_seed (14);
  g_autofree float *fine = g_new0 (float, (gsize) W * H);
  g_autofree guint8 *rgb = g_malloc ((gsize) W * H * 3);
  for (int i = 0; i < W * H; i++)
    fine[i] = (float) g_rand_double_range (rnd, -1, 1);
  /* Blurred (3x3 box, twice): texture of 2-3 pixels */
  for (int pass = 0; pass < 2; pass++)
    {
      g_autofree float *t = g_memdup2 (fine, sizeof (float) * W * H);
      for (int y = 1; y < H - 1; y++)
        for (int x = 1; x < W - 1; x++)
          {
            float sum = 0;
            for (int dy = -1; dy <= 1; dy++)
              for (int dx = -1; dx <= 1; dx++)
                sum += t[(y + dy) * W + x + dx];
            fine[y * W + x] = sum / 3.0f;
          }
    }
  for (int y = 0; y < H; y++)
    for (int x = 0; x < W; x++)
      {
        double tone = 6.0 * sin (x * 0.011) * cos (y * 0.013), f = fine[y * W + x];
        rgb[3 * (y * W + x)] = (guint8) CLAMP (lround (214 + tone + f), 0, 255);
        rgb[3 * (y * W + x) + 1] = (guint8) CLAMP (lround (165 + tone + f), 0, 255);
        rgb[3 * (y * W + x) + 2] = (guint8) CLAMP (lround (146 + tone + f), 0, 255);
      }
  DermImage *before = image_from_rgb (W, H, rgb);
  double hgt[9];
  pose_homography (1.2 * G_PI / 180, 1.02, 3.3, -2.1, 0, 0, W, H, hgt);
  DermImage *warped = NULL;
  DermError err;
  g_assert_cmpint (derm_image_warp (before, hgt, W, H, &warped, &err), ==, DERM_STATUS_OK);
  g_autofree guint8 *after_rgb = image_rgb (warped);
  for (int i = 0; i < W * H * 3; i++)   /* its own sensor noise */
    after_rgb[i] = (guint8) CLAMP (after_rgb[i] + g_rand_int_range (rnd, -1, 2), 0, 255);
  DermImage *after = image_from_rgb (W, H, after_rgb);

  DermAlignment *al = NULL;
  if (derm_align (before, after, NULL, &al, &err) != DERM_STATUS_OK)
    g_error ("smooth skin: %s", err.message);
  DermAlignmentResult res;
  derm_alignment_get_result (al, &res);
  double worst = worst_corner_error (hgt, res.h, W, H);
  g_test_message ("smooth skin: %d inliers of %d, rms %.3f px, worst corner %.3f px", res.n_inliers, res.n_matches,
                  res.rms_error, worst);
  g_assert_cmpfloat (worst, <, 1.0);
  derm_alignment_free (al);
  derm_image_free (after);
  derm_image_free (warped);
  derm_image_free (before);
}

static void
test_align_unrelated_refused (void)
{
  g_autofree char *p1 = skimage_sample ("astronaut.png");
  g_autofree char *p2 = skimage_sample ("coffee.png");
  g_autofree char *p3 = skimage_sample ("chelsea.png");
  DermImage *a = load (p1), *b = load (p2), *c = load (p3);
  DermImage *pairs[][2] = { { a, b }, { b, c }, { c, a } };
  for (guint i = 0; i < G_N_ELEMENTS (pairs); i++)
    {
      DermAlignment *al = NULL;
      DermError err;
      g_assert_cmpint (derm_align (pairs[i][0], pairs[i][1], NULL, &al, &err), ==, DERM_STATUS_ALIGNMENT_REFUSED);
      g_assert_null (al);
      g_test_message ("%s", err.message);
      g_assert_true (g_str_has_prefix (err.message, "Alignment refused"));
    }
  derm_image_free (a);
  derm_image_free (b);
  derm_image_free (c);
}

static void
test_maps_difference (void)
{
  DermImage *before = alignment_test_image ();
  g_autofree guint8 *rgb = image_rgb (before);
  const int W = 2048;
  /* Redden a square of the after photo. */
  for (int y = 800; y < 1000; y++)
    for (int x = 800; x < 1000; x++)
      {
        rgb[3 * (y * W + x) + 1] = (guint8) (rgb[3 * (y * W + x) + 1] * 0.6);
        rgb[3 * (y * W + x) + 2] = (guint8) (rgb[3 * (y * W + x) + 2] * 0.6);
      }
  DermImage *after = image_from_rgb (W, W, rgb);
  DermMap *map = NULL;
  DermError err;
  g_assert_cmpint (derm_map_new_difference (before, after, NULL, NULL, &map, &err), ==, DERM_STATUS_OK);
  DermMapLegend legend;
  derm_map_get_legend (map, &legend);
  g_assert_cmpfloat (legend.ticks[0], ==, legend.value_min);
  g_assert_cmpfloat (legend.ticks[DERM_MAP_N_TICKS - 1], ==, legend.value_max);
  g_assert_cmpfloat (legend.value_min, <, 0);
  int w, h;
  size_t stride;
  const guint8 *px = derm_map_get_rgba (map, &w, &h, &stride);
  const guint8 *changed = px + 900 * stride + 4 * 900, *same = px + 100 * stride + 4 * 100;
  /* Unchanged pixels take the middle (zero) colour, reddened ones the red end. */
  g_assert_cmpmem (same, 4, legend.tick_rgba[DERM_MAP_N_TICKS / 2], 4);
  g_assert_cmpint (changed[0], >, changed[2]);
  g_autofree char *png = tmp_path ("diff.png");
  g_assert_cmpint (derm_map_save_png (map, png, &err), ==, DERM_STATUS_OK);
  DermImage *reloaded = load (png);
  g_assert_cmpint (derm_image_get_width (reloaded), ==, W);
  derm_image_free (reloaded);
  derm_map_free (map);

  DermAnalysis *ab = NULL, *aa = NULL;
  const double identity[9] = { 1, 0, 0, 0, 1, 0, 0, 0, 1 };
  g_assert_cmpint (derm_analyze_pair (before, after, identity, NULL, NULL, &ab, &aa, NULL, &err), ==, DERM_STATUS_OK);
  DermRednessMetrics rb, ra;
  derm_analysis_get_redness (ab, &rb);
  derm_analysis_get_redness (aa, &ra);
  g_assert_cmpfloat (ra.a_mean, >, rb.a_mean);
  derm_analysis_free (ab);
  derm_analysis_free (aa);
  derm_image_free (before);
  derm_image_free (after);
}

/* ------------------------------------------------------------ loading */

static void
test_load_formats (void)
{
  const char *args[] = { "make-inputs", tmp_dir, NULL };
  g_free (run_python (args));
  g_autofree char *base_path = tmp_path ("base.rgb");
  g_autofree guint8 *base = NULL;
  gsize len;
  g_assert_true (g_file_get_contents (base_path, (char **) &base, &len, NULL));
  g_assert_cmpuint (len, ==, 48 * 64 * 3);

  /* 16-bit: scaled to 8 bits, v / 257 rounded. */
  g_autofree char *p16 = tmp_path ("rgb16.png"), *raw16 = tmp_path ("rgb16.raw");
  g_autofree guint16 *v16 = NULL;
  g_assert_true (g_file_get_contents (raw16, (char **) &v16, &len, NULL));
  DermImage *img = load (p16);
  g_autofree guint8 *rgb = image_rgb (img);
  for (int i = 0; i < 48 * 64 * 3; i++)
    g_assert_cmpint (rgb[i], ==, (int) lround (GUINT16_FROM_LE (v16[i]) / 257.0));
  derm_image_free (img);

  /* Grey: R = G = B. Alpha: dropped, colour kept. */
  g_autofree char *pg = tmp_path ("grey.png"), *pa = tmp_path ("alpha.png");
  img = load (pg);
  g_free (rgb);
  rgb = image_rgb (img);
  for (int i = 0; i < 48 * 64; i++)
    for (int c = 0; c < 3; c++)
      g_assert_cmpint (rgb[3 * i + c], ==, base[3 * i]);
  derm_image_free (img);
  img = load (pa);
  g_free (rgb);
  rgb = image_rgb (img);
  g_assert_cmpmem (rgb, 48 * 64 * 3, base, 48 * 64 * 3);
  derm_image_free (img);

  /* CMYK JPEG: decoded to the colours it was made from (JPEG loss aside). */
  g_autofree char *pc = tmp_path ("cmyk.jpg"), *rc = tmp_path ("cmyk.rgb");
  g_autofree guint8 *cmyk_rgb = NULL;
  g_assert_true (g_file_get_contents (rc, (char **) &cmyk_rgb, &len, NULL));
  img = load (pc);
  g_free (rgb);
  rgb = image_rgb (img);
  for (int y = 4; y < 44; y++)
    for (int x = 4; x < 60; x++)
      if (x < 28 || x > 36)
        for (int c = 0; c < 3; c++)
          g_assert_cmpint (ABS (rgb[3 * (y * 64 + x) + c] - cmyk_rgb[3 * (y * 64 + x) + c]), <=, 12);
  derm_image_free (img);

  /* EXIF orientation 6: a 64x48 stored image is shown 48x64, rotated clockwise. */
  g_autofree char *po = tmp_path ("oriented.jpg");
  img = load (po);
  g_assert_cmpint (derm_image_get_width (img), ==, 48);
  g_assert_cmpint (derm_image_get_height (img), ==, 64);
  derm_image_free (img);

  /* Reduced decode for thumbnails, from memory. */
  g_autofree char *pb = tmp_path ("big.jpg");
  g_autofree char *data = NULL;
  g_assert_true (g_file_get_contents (pb, &data, &len, NULL));
  DermLoadOptions opt = { 100 };
  DermError err;
  img = NULL;
  g_assert_cmpint (derm_image_load_memory (data, len, &opt, &img, &err), ==, DERM_STATUS_OK);
  g_assert_cmpint (derm_image_get_width (img), ==, 100);
  g_assert_cmpint (derm_image_get_height (img), ==, 75);
  derm_image_free (img);
}

static void
expect_load_error (const char *path, int expected)
{
  DermImage *img = NULL;
  DermError err;
  int status = derm_image_load_file (path, NULL, &img, &err);
  g_test_message ("%s: %s (%s)", path, err.message, derm_status_to_string (status));
  g_assert_cmpint (status, ==, expected);
  g_assert_null (img);
  g_assert_cmpint (err.code, ==, expected);
  g_assert_cmpuint (strlen (err.message), >, 10);
}

static void
test_bad_input_files (void)
{
  g_autofree char *zero = tmp_path ("zero.jpg"), *text = tmp_path ("text.jpg");
  g_autofree char *trunc = tmp_path ("truncated.jpg"), *bomb = tmp_path ("bomb.png"), *missing = tmp_path ("missing.jpg");
  g_assert_true (g_file_set_contents (zero, "", 0, NULL));
  g_assert_true (g_file_set_contents (text, "Just some notes, not a photo.\n", -1, NULL));
  expect_load_error (zero, DERM_STATUS_CORRUPT);
  expect_load_error (text, DERM_STATUS_UNSUPPORTED);
  expect_load_error (missing, DERM_STATUS_NOT_FOUND);

  /* Truncated JPEG: a real one cut at several points. */
  g_autofree char *sample = skimage_sample ("astronaut.png");
  DermImage *img = load (sample);
  g_autofree char *full = tmp_path ("full.jpg");
  DermError err;
  g_assert_cmpint (derm_image_save (img, full, 90, &err), ==, DERM_STATUS_OK);
  derm_image_free (img);
  g_autofree char *data = NULL;
  gsize len;
  g_assert_true (g_file_get_contents (full, &data, &len, NULL));
  const double cuts[] = { 0.002, 0.01, 0.3, 0.9, 0.999 };
  for (guint i = 0; i < G_N_ELEMENTS (cuts); i++)
    {
      g_assert_true (g_file_set_contents (trunc, data, (gssize) (len * cuts[i]), NULL));
      expect_load_error (trunc, DERM_STATUS_CORRUPT);
    }

  /* 1x1 */
  g_autofree char *one = tmp_path ("one.png");
  if (!g_file_test (one, G_FILE_TEST_EXISTS))
    {
      const char *args[] = { "make-inputs", tmp_dir, NULL };
      g_free (run_python (args));
    }
  expect_load_error (one, DERM_STATUS_TOO_SMALL);

  /* A PNG whose header claims 50000x50000: refused before decoding. */
  static const guint8 png[] = {
    0x89, 'P', 'N', 'G', '\r', '\n', 0x1a, '\n',
    0, 0, 0, 13, 'I', 'H', 'D', 'R', 0, 0, 0xc3, 0x50, 0, 0, 0xc3, 0x50, 8, 2, 0, 0, 0, 0x5b, 0x6d, 0x8c, 0x2b,
    0, 0, 0, 0, 'I', 'E', 'N', 'D', 0xae, 0x42, 0x60, 0x82,
  };
  g_assert_true (g_file_set_contents (bomb, (const char *) png, sizeof png, NULL));
  expect_load_error (bomb, DERM_STATUS_TOO_LARGE);
}

static void
test_bad_regions (void)
{
  g_autoptr (GRand) rnd = g_rand_new_with_seed (9);
  g_autofree guint8 *rgb = random_rgb (rnd, 64, 48, FALSE);
  DermImage *img = image_from_rgb (64, 48, rgb);
  double two[] = { 1, 1, 10, 10 };
  double outside[] = { 100, 100, 120, 100, 110, 130 };
  const DermRoi rois[] = {
    { DERM_ROI_RECT, 10, 10, 0, 5, NULL, 0 },       /* empty */
    { DERM_ROI_RECT, 100, 100, 10, 10, NULL, 0 },   /* outside */
    { DERM_ROI_RECT, -5, 10, 20, 10, NULL, 0 },     /* partly outside */
    { DERM_ROI_POLYGON, 0, 0, 0, 0, two, 2 },       /* < 3 points */
    { DERM_ROI_POLYGON, 0, 0, 0, 0, NULL, 0 },
    { DERM_ROI_POLYGON, 0, 0, 0, 0, outside, 3 },
  };
  for (guint i = 0; i < G_N_ELEMENTS (rois); i++)
    {
      DermAnalysis *a = NULL;
      DermMap *map = NULL;
      DermError err;
      g_assert_cmpint (derm_analyze (img, &rois[i], NULL, &a, &err), ==, DERM_STATUS_BAD_ROI);
      g_assert_null (a);
      g_test_message ("roi %u: %s", i, err.message);
      g_assert_cmpint (derm_map_new_a_star (img, &rois[i], NULL, &map, &err), ==, DERM_STATUS_BAD_ROI);
      g_assert_null (map);
    }
  DermAnalysisSettings s;
  derm_analysis_settings_init (&s);
  s.wb_mode = DERM_WB_PATCH;
  s.patch_x = 60, s.patch_y = 40, s.patch_width = 10, s.patch_height = 10;
  DermAnalysis *a = NULL;
  DermError err;
  g_assert_cmpint (derm_analyze (img, NULL, &s, &a, &err), ==, DERM_STATUS_BAD_ROI);
  derm_analysis_settings_init (&s);
  s.roughness_sigma = 0;
  g_assert_cmpint (derm_analyze (img, NULL, &s, &a, &err), ==, DERM_STATUS_INVALID_ARGUMENT);
  g_assert_cmpint (derm_analyze (NULL, NULL, NULL, &a, &err), ==, DERM_STATUS_INVALID_ARGUMENT);
  derm_image_free (img);
}

/* ------------------------------------------------------------ threads */

typedef struct
{
  const DermImage   *image;
  DermRednessMetrics red;
  DermTextureMetrics tex;
} ThreadJob;

static gpointer
thread_analyze (gpointer data)
{
  ThreadJob *job = data;
  for (int i = 0; i < 3; i++)
    {
      DermAnalysis *a = analyze (job->image, NULL, NULL);
      derm_analysis_get_redness (a, &job->red);
      derm_analysis_get_texture (a, &job->tex);
      derm_analysis_free (a);
    }
  return NULL;
}

static void
test_threads_same_results (void)
{
  g_autofree char *path = skimage_sample ("astronaut.png");
  DermImage *img = load (path);
  ThreadJob jobs[4];
  GThread *threads[4];
  for (int i = 0; i < 4; i++)
    {
      jobs[i].image = img;
      threads[i] = g_thread_new ("analyze", thread_analyze, &jobs[i]);
    }
  for (int i = 0; i < 4; i++)
    g_thread_join (threads[i]);
  for (int i = 1; i < 4; i++)
    {
      g_assert_cmpmem (&jobs[i].red, sizeof jobs[i].red, &jobs[0].red, sizeof jobs[0].red);
      g_assert_cmpmem (&jobs[i].tex, sizeof jobs[i].tex, &jobs[0].tex, sizeof jobs[0].tex);
    }
  derm_image_free (img);
}

/* ----------------------------------------------- DC-only JPEG thumbnails */

/* derm-jpeg-dc.cpp decodes 1/8 scale thumbnails of baseline JPEGs from the
 * DC coefficients alone. The reference is libjpeg's own 1/8 scale decode,
 * called here directly: luma must match it exactly, and so must the whole
 * BGR result where chroma is not subsampled (libjpeg then also uses the DC
 * alone). Damaged data must give the same pixels or be refused, so that
 * libjpeg decodes it instead. */

typedef struct
{
  struct jpeg_error_mgr pub;
  jmp_buf               jump;
} RefJpegError;

static char ref_jpeg_message[JMSG_LENGTH_MAX];

static void
ref_jpeg_error_exit (j_common_ptr cinfo)
{
  (*cinfo->err->format_message) (cinfo, ref_jpeg_message);
  longjmp (((RefJpegError *) cinfo->err)->jump, 1);
}

static void
ref_jpeg_output_nothing (j_common_ptr cinfo)
{
  (void) cinfo;
}

typedef struct
{
  guint8 *px;
  int     width, height, channels;
  long    warnings;
} RefJpeg;

/* libjpeg's 1/8 scale decode of @data: with @bgr, BGR as the library's
 * libjpeg fallback asks for it; otherwise the samples before colour
 * conversion (Y, Cb, Cr, or grey). FALSE on a libjpeg error. */
static gboolean
ref_jpeg_decode_eighth (const guint8 *data, size_t size, gboolean bgr, RefJpeg *out)
{
  struct jpeg_decompress_struct cinfo;
  RefJpegError err;
  guint8 *volatile px = NULL;

  memset (out, 0, sizeof *out);
  memset (&cinfo, 0, sizeof cinfo);
  cinfo.err = jpeg_std_error (&err.pub);
  err.pub.error_exit = ref_jpeg_error_exit;
  err.pub.output_message = ref_jpeg_output_nothing;
  jpeg_create_decompress (&cinfo);
  if (setjmp (err.jump))
    {
      jpeg_destroy_decompress (&cinfo);
      g_free (px);
      return FALSE;
    }
  jpeg_mem_src (&cinfo, data, (unsigned long) size);
  jpeg_read_header (&cinfo, TRUE);
  cinfo.scale_num = 1;
  cinfo.scale_denom = 8;
  if (bgr)
    {
      cinfo.out_color_space = JCS_EXT_BGR;
      cinfo.dct_method = JDCT_IFAST;
      cinfo.do_fancy_upsampling = FALSE;
    }
  else
    {
      cinfo.out_color_space = cinfo.jpeg_color_space == JCS_GRAYSCALE ? JCS_GRAYSCALE : JCS_YCbCr;
    }
  jpeg_start_decompress (&cinfo);
  const size_t stride = (size_t) cinfo.output_width * cinfo.output_components;
  px = g_malloc (stride * cinfo.output_height);
  while (cinfo.output_scanline < cinfo.output_height)
    {
      JSAMPROW row = px + stride * cinfo.output_scanline;
      jpeg_read_scanlines (&cinfo, &row, 1);
    }
  /* On to the end-of-image marker, as derm-codec.cpp reads: damage after
   * the last row is a warning too. */
  jpeg_finish_decompress (&cinfo);
  out->px = px;
  out->width = (int) cinfo.output_width;
  out->height = (int) cinfo.output_height;
  out->channels = cinfo.output_components;
  out->warnings = err.pub.num_warnings;
  jpeg_destroy_decompress (&cinfo);
  return TRUE;
}

/* First pixel where channel @c of @a (3 bytes a pixel) and @b (@b_channels)
 * differ, -1 if none. */
static long
first_difference (const guint8 *a, const guint8 *b, int b_channels, size_t n, int c)
{
  for (size_t i = 0; i < n; i++)
    if (a[3 * i + c] != b[(size_t) b_channels * i + c])
      return (long) i;
  return -1;
}

/* YCbCr -> BGR as libjpeg's jdcolor.c computes it. */
static void
ycc_to_bgr_like_libjpeg (const guint8 *ycc, guint8 *bgr, size_t n)
{
#define FIX(x) ((gint32) ((x) * 65536.0 + 0.5))
  for (size_t i = 0; i < n; i++)
    {
      int y = ycc[3 * i], cb = ycc[3 * i + 1] - 128, cr = ycc[3 * i + 2] - 128;
      int r = y + (int) ((FIX (1.40200) * cr + 32768) >> 16);
      int g = y + (int) ((-FIX (0.34414) * cb + 32768 - FIX (0.71414) * cr) >> 16);
      int b = y + (int) ((FIX (1.77200) * cb + 32768) >> 16);
      bgr[3 * i] = (guint8) CLAMP (b, 0, 255);
      bgr[3 * i + 1] = (guint8) CLAMP (g, 0, 255);
      bgr[3 * i + 2] = (guint8) CLAMP (r, 0, 255);
    }
#undef FIX
}

typedef enum
{
  DC_REFUSED,
  DC_DECODED,
} DcOutcome;

/* Runs the DC decoder on @data and, if it decodes the file, checks it
 * against libjpeg: luma always, all of BGR unless @chroma_subsampled, when
 * BGR must be libjpeg's conversion of the decoder's own Y, Cb, Cr. */
static DcOutcome
check_dc_against_libjpeg (const guint8 *data, size_t size, gboolean chroma_subsampled, const char *what)
{
  guint8 *bgr = NULL, *ycc = NULL;
  int w = 0, h = 0, w2 = 0, h2 = 0;
  int r = derm_testing_jpeg_dc_decode (data, size, 0, &bgr, &w, &h);
  int r2 = derm_testing_jpeg_dc_decode (data, size, 1, &ycc, &w2, &h2);
  g_assert_cmpint (r, ==, r2);
  g_assert_cmpint (r, >=, -1);  /* -2: an exception inside the decoder */
  if (r != 1)
    {
      g_assert_null (bgr);
      g_assert_null (ycc);
      return DC_REFUSED;
    }

  RefJpeg ref_ycc, ref_bgr;
  if (!ref_jpeg_decode_eighth (data, size, FALSE, &ref_ycc) || !ref_jpeg_decode_eighth (data, size, TRUE, &ref_bgr))
    g_error ("%s: the DC decoder decoded a file libjpeg rejects (%s)", what, ref_jpeg_message);
  /* The loader refuses a file libjpeg warns about: the DC decoder must
   * never let one through. */
  if (ref_ycc.warnings != 0 || ref_bgr.warnings != 0)
    g_error ("%s: the DC decoder decoded a file libjpeg warns about", what);
  g_assert_cmpint (w, ==, ref_ycc.width);
  g_assert_cmpint (h, ==, ref_ycc.height);
  g_assert_cmpint (w2, ==, w);
  g_assert_cmpint (h2, ==, h);
  g_assert_cmpint (ref_bgr.channels, ==, 3);
  const size_t n = (size_t) w * h;

  long d = first_difference (ycc, ref_ycc.px, ref_ycc.channels, n, 0);
  if (d >= 0)
    g_error ("%s: luma differs from libjpeg's at (%ld, %ld): %d, libjpeg %d", what, d % w, d / w,
             ycc[3 * d], ref_ycc.px[(size_t) ref_ycc.channels * d]);
  if (chroma_subsampled)
    {
      guint8 *expected = g_malloc (n * 3);
      ycc_to_bgr_like_libjpeg (ycc, expected, n);
      g_assert_cmpmem (bgr, n * 3, expected, n * 3);
      g_free (expected);
    }
  else
    {
      if (ref_ycc.channels == 3)
        for (int c = 1; c < 3; c++)
          g_assert_cmpint (first_difference (ycc, ref_ycc.px, 3, n, c), ==, -1);
      for (int c = 0; c < 3; c++)
        {
          d = first_difference (bgr, ref_bgr.px, 3, n, c);
          if (d >= 0)
            g_error ("%s: channel %d differs from libjpeg's at (%ld, %ld): %d, libjpeg %d", what, c,
                     d % w, d / w, bgr[3 * d + c], ref_bgr.px[3 * d + c]);
        }
    }
  g_free (ref_ycc.px);
  g_free (ref_bgr.px);
  free (bgr);
  free (ycc);
  return DC_DECODED;
}

/* The public thumbnail path, at exactly 1/8 when the longer side is a
 * multiple of 8 (and the image the 16x16 the loader needs): the same pixels
 * as the DC decoder alone. */
static void
check_thumbnail_path (const guint8 *data, size_t size, int width, int height)
{
  int longer = MAX (width, height);
  if (longer % 8 != 0 || MIN (width, height) < 16)
    return;
  guint8 *bgr = NULL;
  int w = 0, h = 0;
  g_assert_cmpint (derm_testing_jpeg_dc_decode (data, size, 0, &bgr, &w, &h), ==, 1);
  DermLoadOptions opt = { .max_side = longer / 8 };
  DermImage *img = NULL;
  DermError err;
  int status = derm_image_load_memory (data, size, &opt, &img, &err);
  if (status != DERM_STATUS_OK)
    g_error ("%dx%d thumbnail: %s", width, height, err.message);
  g_assert_cmpint (derm_image_get_width (img), ==, w);
  g_assert_cmpint (derm_image_get_height (img), ==, h);
  g_autofree guint8 *rgb = image_rgb (img);
  for (size_t i = 0; i < (size_t) w * h; i++)
    {
      g_assert_cmpint (rgb[3 * i], ==, bgr[3 * i + 2]);
      g_assert_cmpint (rgb[3 * i + 1], ==, bgr[3 * i + 1]);
      g_assert_cmpint (rgb[3 * i + 2], ==, bgr[3 * i]);
    }
  derm_image_free (img);
  free (bgr);
}

typedef struct
{
  const char *name;
  int         components;
  int         h[3], v[3];
  gboolean    supported;  /* else the DC decoder must refuse it */
} JpegLayout;

static const JpegLayout jpeg_layouts[] = {
  { "grey", 1, { 1 }, { 1 }, TRUE },
  { "grey-h2v2", 1, { 2 }, { 2 }, TRUE },  /* one component: no MCU padding */
  { "444", 3, { 1, 1, 1 }, { 1, 1, 1 }, TRUE },
  { "422", 3, { 2, 1, 1 }, { 1, 1, 1 }, TRUE },
  { "420", 3, { 2, 1, 1 }, { 2, 1, 1 }, TRUE },
  { "440", 3, { 1, 1, 1 }, { 2, 1, 1 }, TRUE },
  { "411", 3, { 4, 1, 1 }, { 1, 1, 1 }, TRUE },
  { "h3v1", 3, { 3, 1, 1 }, { 1, 1, 1 }, TRUE },
  { "h4v2", 3, { 4, 1, 1 }, { 2, 1, 1 }, TRUE },  /* 10 blocks an MCU, the most */
  { "420-cr-h2", 3, { 2, 1, 2 }, { 2, 1, 1 }, TRUE },
  { "luma-subsampled", 3, { 1, 2, 2 }, { 1, 2, 2 }, FALSE },
  { "411-cb-h2", 3, { 4, 2, 1 }, { 1, 1, 1 }, TRUE },
};

static void
test_jpeg_dc_matches_libjpeg (void)
{
  static const int sizes[][2] = {
    { 1, 1 }, { 7, 5 }, { 8, 8 }, { 9, 17 }, { 16, 16 }, { 31, 47 }, { 64, 40 }, { 40, 64 },
    { 101, 77 }, { 250, 131 }, { 520, 389 }, { 1024, 3 }, { 2, 600 },
  };
  static const int qualities[] = { 10, 25, 50, 75, 90, 95, 100 };
  static const int noises[] = { 0, 8, 60, 255 };
  int decoded = 0, refused = 0, i = 0;
  for (size_t s = 0; s < G_N_ELEMENTS (sizes); s++)
    for (size_t l = 0; l < G_N_ELEMENTS (jpeg_layouts); l++)
      for (int rep = 0; rep < 2; rep++, i++)
        {
          const JpegLayout *lay = &jpeg_layouts[l];
          JpegGenSpec spec = {
            .width = sizes[s][0],
            .height = sizes[s][1],
            .quality = qualities[i % G_N_ELEMENTS (qualities)],
            .components = lay->components,
            .restart_mcus = (i % 5 == 1) ? 1 : (i % 5 == 2) ? 3 : 0,
            .restart_rows = (i % 5 == 3),
            .optimize = (i / 5) % 2,
            .noise = noises[i % G_N_ELEMENTS (noises)],
            .seed = (uint32_t) i,
          };
          memcpy (spec.h, lay->h, sizeof spec.h);
          memcpy (spec.v, lay->v, sizeof spec.v);
          size_t size = 0;
          guint8 *jpeg = jpeg_gen_encode (&spec, &size);
          g_autofree char *what = g_strdup_printf ("%dx%d %s q%d rst %d/%d opt %d noise %d", spec.width, spec.height,
                                                   lay->name, spec.quality, spec.restart_mcus, spec.restart_rows,
                                                   spec.optimize, spec.noise);
          gboolean subsampled = lay->components == 3
                                && (lay->h[1] != lay->h[0] || lay->v[1] != lay->v[0]
                                    || lay->h[2] != lay->h[0] || lay->v[2] != lay->v[0]);
          DcOutcome o = check_dc_against_libjpeg (jpeg, size, subsampled, what);
          if (o != (lay->supported ? DC_DECODED : DC_REFUSED))
            g_error ("%s: the DC decoder %s it", what, o == DC_DECODED ? "decoded" : "refused");
          if (o == DC_DECODED)
            {
              decoded++;
              check_thumbnail_path (jpeg, size, spec.width, spec.height);
            }
          else
            refused++;

          /* Progressive: always refused. */
          if (rep == 0 && s % 4 == 0)
            {
              spec.progressive = TRUE;
              guint8 *prog = jpeg_gen_encode (&spec, &size);
              g_assert_cmpint (check_dc_against_libjpeg (prog, size, subsampled, what), ==, DC_REFUSED);
              free (prog);
            }
          free (jpeg);
        }
  g_test_message ("%d files decoded identically, %d refused as expected", decoded, refused);
}

/* Offset of the first byte after the SOS segment (the scan data). */
static size_t
jpeg_scan_start (const guint8 *d, size_t n)
{
  for (size_t i = 2; i + 4 < n; i++)
    if (d[i] == 0xFF && d[i + 1] == 0xDA)
      return i + 2 + ((size_t) d[i + 2] << 8 | d[i + 3]);
  g_assert_not_reached ();
}

/* Offset of the first DHT segment whose first table is @class_id, or 0
 * (libjpeg writes one table a segment). */
static size_t
jpeg_find_dht (const guint8 *d, size_t n, int class_id)
{
  for (size_t i = 2; i + 5 < n; i++)
    if (d[i] == 0xFF && d[i + 1] == 0xC4 && d[i + 4] == class_id)
      return i;
  return 0;
}

/* What a damaged file gives: the DC decoder's outcome (checked against
 * libjpeg when it decodes), and the public thumbnail load must end in an
 * image or a clean error: an error whenever libjpeg fails or warns. */
static DcOutcome
check_damaged (const guint8 *data, size_t size, gboolean subsampled, const char *what, int *status)
{
  DcOutcome o = check_dc_against_libjpeg (data, size, subsampled, what);
  DermLoadOptions opt = { .max_side = 4 };
  DermImage *img = NULL;
  DermError err;
  int st = derm_image_load_memory (data, size, &opt, &img, &err);
  RefJpeg ref;
  gboolean doubt = !ref_jpeg_decode_eighth (data, size, TRUE, &ref) || ref.warnings != 0;
  g_free (ref.px);
  if (doubt && st == DERM_STATUS_OK)
    g_error ("%s: loaded although libjpeg fails or warns (%s)", what, ref_jpeg_message);
  if (st == DERM_STATUS_OK)
    {
      g_assert_nonnull (img);
      derm_image_free (img);
    }
  else
    {
      g_assert_null (img);
      g_assert_cmpint (err.code, ==, st);
      g_assert_cmpstr (err.message, !=, "");
    }
  if (status != NULL)
    *status = st;
  return o;
}

static void
test_jpeg_dc_damaged (void)
{
  static const struct
  {
    const char *name;
    JpegGenSpec spec;
    gboolean    subsampled;
  } bases[] = {
    { "420-rst2", { 136, 104, 75, 3, { 2, 1, 1 }, { 2, 1, 1 }, 2, 0, 0, 0, 30, 11 }, TRUE },
    { "444-opt", { 64, 48, 90, 3, { 1, 1, 1 }, { 1, 1, 1 }, 0, 0, 1, 0, 40, 12 }, FALSE },
    { "grey-rst-rows", { 80, 72, 50, 1, { 1 }, { 1 }, 0, 1, 0, 0, 20, 13 }, FALSE },
  };
  GRand *rand = g_rand_new_with_seed (20240611);
  int flips_decoded = 0, flips_refused = 0;
  for (size_t b = 0; b < G_N_ELEMENTS (bases); b++)
    {
      size_t size = 0;
      guint8 *orig = jpeg_gen_encode (&bases[b].spec, &size);
      const gboolean sub = bases[b].subsampled;
      const size_t scan = jpeg_scan_start (orig, size);
      g_autofree guint8 *d = g_malloc (size);
      int st;
      char what[128];

      g_assert_cmpint (check_damaged (orig, size, sub, bases[b].name, NULL), ==, DC_DECODED);

      /* Truncated scan: refused; the loader's answer is then libjpeg's. */
      for (int k = 0; k <= 7; k++)
        {
          size_t cut = scan + (size - 2 - scan) * (size_t) k / 8;
          g_snprintf (what, sizeof what, "%s truncated at %zu of %zu", bases[b].name, cut, size);
          g_assert_cmpint (check_damaged (orig, cut, sub, what, NULL), ==, DC_REFUSED);
        }
      /* Only the EOI missing: all the data is there, but libjpeg warns
       * (premature end of file): refused. */
      g_snprintf (what, sizeof what, "%s without EOI", bases[b].name);
      g_assert_cmpint (check_damaged (orig, size - 2, sub, what, &st), ==, DC_REFUSED);
      g_assert_cmpint (st, ==, DERM_STATUS_CORRUPT);

      /* Bad Huffman tables: two codes of length 1 (one all ones), and a DC
       * symbol above 15. libjpeg rejects both; so must the DC decoder. */
      size_t dht = jpeg_find_dht (orig, size, 0x00);
      g_assert_cmpuint (dht, >, 0);
      memcpy (d, orig, size);
      {
        guint8 *bits = d + dht + 5;  /* counts of code lengths 1-16 */
        int moved = 0;
        for (int l = 15; l >= 1 && moved < 2; l--)
          while (bits[l] > 0 && moved < 2)
            {
              bits[l]--;
              moved++;
            }
        bits[0] += 2;
      }
      g_snprintf (what, sizeof what, "%s bogus DC table", bases[b].name);
      g_assert_cmpint (check_damaged (d, size, sub, what, &st), ==, DC_REFUSED);
      g_assert_cmpint (st, ==, DERM_STATUS_CORRUPT);
      memcpy (d, orig, size);
      d[dht + 5 + 16] = 0x10;
      g_snprintf (what, sizeof what, "%s DC symbol 16", bases[b].name);
      g_assert_cmpint (check_damaged (d, size, sub, what, &st), ==, DC_REFUSED);
      g_assert_cmpint (st, ==, DERM_STATUS_CORRUPT);

      /* Bad restart markers: out of sequence, hidden as stuffed data,
       * removed. libjpeg resynchronises with a warning; both refuse. */
      size_t rst = 0;
      for (size_t i = scan; i + 1 < size; i++)
        if (orig[i] == 0xFF && orig[i + 1] >= 0xD0 && orig[i + 1] <= 0xD7)
          {
            rst = i;
            break;
          }
      if (bases[b].spec.restart_mcus > 0 || bases[b].spec.restart_rows > 0)
        {
          g_assert_cmpuint (rst, >, 0);
          memcpy (d, orig, size);
          d[rst + 1] = 0xD3;
          g_snprintf (what, sizeof what, "%s RST out of sequence", bases[b].name);
          g_assert_cmpint (check_damaged (d, size, sub, what, &st), ==, DC_REFUSED);
          g_assert_cmpint (st, ==, DERM_STATUS_CORRUPT);
          memcpy (d, orig, size);
          d[rst + 1] = 0x00;
          g_snprintf (what, sizeof what, "%s RST stuffed", bases[b].name);
          g_assert_cmpint (check_damaged (d, size, sub, what, &st), ==, DC_REFUSED);
          g_assert_cmpint (st, ==, DERM_STATUS_CORRUPT);
          memcpy (d, orig, rst);
          memcpy (d + rst, orig + rst + 2, size - rst - 2);
          g_snprintf (what, sizeof what, "%s RST removed", bases[b].name);
          g_assert_cmpint (check_damaged (d, size - 2, sub, what, &st), ==, DC_REFUSED);
          g_assert_cmpint (st, ==, DERM_STATUS_CORRUPT);
        }
      else
        g_assert_cmpuint (rst, ==, 0);

      /* Random byte changes, mostly in the scan: the same pixels as
       * libjpeg, or refused. */
      for (int t = 0; t < 300; t++)
        {
          memcpy (d, orig, size);
          int n = g_rand_int_range (rand, 1, 4);
          for (int j = 0; j < n; j++)
            {
              size_t at = t % 4 == 0 ? (size_t) g_rand_int_range (rand, 2, (gint32) size)
                                     : (size_t) g_rand_int_range (rand, (gint32) scan, (gint32) size);
              if (t % 2 == 0)
                d[at] ^= (guint8) (1u << g_rand_int_range (rand, 0, 8));
              else
                d[at] = (guint8) g_rand_int_range (rand, 0, 256);
            }
          g_snprintf (what, sizeof what, "%s change %d", bases[b].name, t);
          if (check_damaged (d, size, sub, what, NULL) == DC_DECODED)
            flips_decoded++;
          else
            flips_refused++;
        }
      free (orig);
    }
  g_test_message ("random changes: %d decoded identically to libjpeg, %d refused", flips_decoded, flips_refused);
  /* Both outcomes must occur, or the changes test nothing. */
  g_assert_cmpint (flips_decoded, >, 0);
  g_assert_cmpint (flips_refused, >, 0);
  g_rand_free (rand);
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
  source_dir = g_getenv ("DERMIS_SOURCE_DIR");
  g_assert_nonnull (source_dir);
  g_autoptr (GError) error = NULL;
  tmp_dir = g_dir_make_tmp ("dermis-imaging-XXXXXX", &error);
  g_assert_no_error (error);

  g_test_add_func ("/imaging/reference/skimage-sample-photos", test_reference_sample_photos);
  g_test_add_func ("/imaging/reference/random-images-rect-polygon", test_reference_random_images);
  g_test_add_func ("/imaging/redness/uniform-patch", test_redness_uniform_patch);
  g_test_add_func ("/imaging/redness/blotch-area", test_redness_blotch_area);
  g_test_add_func ("/imaging/texture/blur-lowers-roughness-and-contrast", test_texture_blur_lowers);
  g_test_add_func ("/imaging/white-balance/grey-world-and-patch", test_white_balance_grey_world);
  g_test_add_func ("/imaging/align/random-homographies", test_align_random_homographies);
  g_test_add_func ("/imaging/align/smooth-skin", test_align_smooth_skin);
  g_test_add_func ("/imaging/align/unrelated-pair-refused", test_align_unrelated_refused);
  g_test_add_func ("/imaging/maps/difference", test_maps_difference);
  g_test_add_func ("/imaging/load/formats", test_load_formats);
  g_test_add_func ("/imaging/load/bad-files", test_bad_input_files);
  g_test_add_func ("/imaging/analysis/bad-regions", test_bad_regions);
  g_test_add_func ("/imaging/analysis/threads", test_threads_same_results);
  g_test_add_func ("/imaging/jpeg-dc/matches-libjpeg", test_jpeg_dc_matches_libjpeg);
  g_test_add_func ("/imaging/jpeg-dc/damaged-same-or-refused", test_jpeg_dc_damaged);
  int rc = g_test_run ();

  /* Leave nothing behind. */
  GDir *d = g_dir_open (tmp_dir, 0, NULL);
  const char *name;
  while (d != NULL && (name = g_dir_read_name (d)) != NULL)
    {
      g_autofree char *p = g_build_filename (tmp_dir, name, NULL);
      g_unlink (p);
    }
  if (d != NULL)
    g_dir_close (d);
  g_rmdir (tmp_dir);
  g_free (tmp_dir);
  return rc;
}
