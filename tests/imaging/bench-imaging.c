/* bench-imaging.c
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Prints one figure per line for the imaging library on a 6000x4000 JPEG it
 * makes itself, with scikit-image timed on the same pixels in the same run.
 * Usage: bench-imaging [SOURCE_DIR]   (SOURCE_DIR finds tests/reference/)
 *        bench-imaging --stage analyze|align|thumbnail FILE [FILE2]   (peak-memory child)
 */
#include "derm-imaging.h"

#include <glib.h>
#include <glib/gstdio.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>

#define W 6000
#define H 4000

static double
now (void)
{
  return (double) g_get_monotonic_time () / 1e6;
}

/* CPU seconds (user + system) of this process or of its waited-for children */
static double
cpu_seconds (int who)
{
  struct rusage ru;

  getrusage (who, &ru);
  return ru.ru_utime.tv_sec + ru.ru_utime.tv_usec / 1e6 + ru.ru_stime.tv_sec + ru.ru_stime.tv_usec / 1e6;
}

static double
load_average (void)
{
  double load[1] = { -1 };

  return getloadavg (load, 1) == 1 ? load[0] : -1;
}

static guint32
xorshift (guint32 *s)
{
  *s ^= *s << 13;
  *s ^= *s >> 17;
  *s ^= *s << 5;
  return *s;
}

/* Skin-like: a smooth tone field, blotches of erythema, moles and freckles
 * (features for alignment), pore-scale noise. */
static guint8 *
make_skin (void)
{
  guint8 *rgb = g_malloc ((size_t) W * H * 3);
  guint32 seed = 12345;
  float *red = g_malloc0 ((size_t) W * H * sizeof (float));
  float *dark = g_malloc0 ((size_t) W * H * sizeof (float));

  for (int i = 0; i < 60; i++)
    {
      int cx = xorshift (&seed) % W, cy = xorshift (&seed) % H, r = 80 + xorshift (&seed) % 300;
      for (int y = MAX (0, cy - 2 * r); y < MIN (H, cy + 2 * r); y++)
        for (int x = MAX (0, cx - 2 * r); x < MIN (W, cx + 2 * r); x++)
          {
            float d2 = (float) ((x - cx) * (x - cx) + (y - cy) * (y - cy)) / (float) (r * r);
            red[(size_t) y * W + x] += expf (-d2);
          }
    }
  for (int i = 0; i < 6000; i++)
    {
      int cx = xorshift (&seed) % W, cy = xorshift (&seed) % H, r = 3 + xorshift (&seed) % 18;
      float depth = 0.3f + (float) (xorshift (&seed) % 70) / 100.0f;
      for (int y = MAX (0, cy - r); y < MIN (H, cy + r + 1); y++)
        for (int x = MAX (0, cx - r); x < MIN (W, cx + r + 1); x++)
          if ((x - cx) * (x - cx) + (y - cy) * (y - cy) <= r * r)
            dark[(size_t) y * W + x] = MAX (dark[(size_t) y * W + x], depth);
    }
  for (int y = 0; y < H; y++)
    for (int x = 0; x < W; x++)
      {
        size_t i = (size_t) y * W + x;
        float tone = 0.08f * sinf (x * 0.0011f) * cosf (y * 0.0017f);
        float n = (float) ((int) (xorshift (&seed) % 17) - 8);
        float rr = 224.0f * (1.0f + tone) - 10.0f * red[i] * 0.0f + n;
        float gg = 178.0f * (1.0f + tone) - 45.0f * MIN (1.0f, red[i]) + n;
        float bb = 152.0f * (1.0f + tone) - 30.0f * MIN (1.0f, red[i]) + n;
        float k = 1.0f - 0.65f * dark[i];
        rgb[3 * i] = (guint8) CLAMP (rr * k, 0, 255);
        rgb[3 * i + 1] = (guint8) CLAMP (gg * k * 0.97f, 0, 255);
        rgb[3 * i + 2] = (guint8) CLAMP (bb * k * 0.92f, 0, 255);
      }
  g_free (red);
  g_free (dark);
  return rgb;
}

static void
die (const char *what, const DermError *err)
{
  fprintf (stderr, "bench-imaging: %s: %s\n", what, err->message);
  exit (1);
}

static int
run_stage (const char *stage, const char *file, const char *file2)
{
  DermError err;
  DermImage *img = NULL;
  if (g_str_equal (stage, "thumbnail"))
    {
      DermLoadOptions o = { 512 };
      if (derm_image_load_file (file, &o, &img, &err) != 0)
        die ("thumbnail", &err);
      derm_image_free (img);
      return 0;
    }
  if (derm_image_load_file (file, NULL, &img, &err) != 0)
    die ("load", &err);
  if (g_str_equal (stage, "analyze"))
    {
      DermAnalysis *a = NULL;
      if (derm_analyze (img, NULL, NULL, &a, &err) != 0)
        die ("analyze", &err);
      derm_analysis_free (a);
    }
  else if (g_str_equal (stage, "align"))
    {
      DermImage *img2 = NULL;
      DermAlignment *al = NULL;
      if (derm_image_load_file (file2, NULL, &img2, &err) != 0)
        die ("load", &err);
      if (derm_align (img, img2, NULL, &al, &err) != 0)
        die ("align", &err);
      derm_alignment_free (al);
      derm_image_free (img2);
    }
  derm_image_free (img);
  return 0;
}

/* Peak resident memory of a child running one stage, in MB. */
static double
stage_peak_mb (const char *self, const char *stage, const char *file, const char *file2)
{
  pid_t pid = fork ();
  if (pid == 0)
    {
      execl (self, self, "--stage", stage, file, file2 ? file2 : "", (char *) NULL);
      _exit (127);
    }
  int status;
  struct rusage ru;
  if (pid < 0 || wait4 (pid, &status, 0, &ru) < 0 || !WIFEXITED (status) || WEXITSTATUS (status) != 0)
    return -1;
  return ru.ru_maxrss / 1024.0;
}

static int
cmp_double (const void *a, const void *b)
{
  double x = *(const double *) a, y = *(const double *) b;
  return x < y ? -1 : x > y;
}

#define REPEAT 5
#define TIME_MEDIAN(result, stmt) do { \
    double t_[REPEAT]; \
    for (int r_ = 0; r_ < REPEAT; r_++) { double t0_ = now (); stmt; t_[r_] = now () - t0_; } \
    qsort (t_, REPEAT, sizeof (double), cmp_double); \
    result = t_[REPEAT / 2]; \
  } while (0)

int
main (int argc, char **argv)
{
  if (argc >= 4 && g_str_equal (argv[1], "--stage"))
    return run_stage (argv[2], argv[3], argc > 4 ? argv[4] : NULL);

  const char *srcdir = argc > 1 ? argv[1] : g_getenv ("DERMIS_SOURCE_DIR");
  g_autofree char *self = g_file_read_link ("/proc/self/exe", NULL);
  g_autoptr (GError) error = NULL;
  g_autofree char *dir = g_dir_make_tmp ("dermis-bench-XXXXXX", &error);
  g_assert_no_error (error);
  g_autofree char *before_path = g_build_filename (dir, "before.jpg", NULL);
  g_autofree char *after_path = g_build_filename (dir, "after.jpg", NULL);
  g_autofree char *chart_path = g_build_filename (dir, "chart.jpg", NULL);
  DermError err;

  guint8 *rgb = make_skin ();
  DermImage *src = NULL;
  if (derm_image_new_from_rgb (W, H, rgb, (size_t) W * 3, &src, &err) != 0)
    die ("new", &err);
  /* The same skin with a ColorChecker (1/4 of the frame wide) in a corner */
  {
    double ref[24][3];
    const double unit = W / 4.0 / 16.75, x0 = W * 0.7, y0 = H * 0.08;
    DermImage *chart = NULL;
    derm_chart_reference_srgb (ref);
    for (int y = (int) y0; y < (int) (y0 + 11.25 * unit); y++)
      for (int x = (int) x0; x < (int) (x0 + 16.75 * unit); x++)
        {
          double u = (x - x0) / unit, v = (y - y0) / unit;
          int i = (int) ((u - 0.25) / 2.75), j = (int) ((v - 0.25) / 2.75);
          double fu = u - 0.25 - i * 2.75, fv = v - 0.25 - j * 2.75;
          guint8 *px = rgb + ((size_t) y * W + x) * 3;
          gboolean patch = i >= 0 && i < 6 && j >= 0 && j < 4 && fu >= 0 && fu < 2.5 && fv >= 0 && fv < 2.5;
          for (int c = 0; c < 3; c++)
            px[c] = patch ? (guint8) lround (ref[j * 6 + i][c]) : 20;
        }
    if (derm_image_new_from_rgb (W, H, rgb, (size_t) W * 3, &chart, &err) != 0)
      die ("new", &err);
    if (derm_image_save (chart, chart_path, 92, &err) != 0)
      die ("save", &err);
    derm_image_free (chart);
  }
  g_free (rgb);
  if (derm_image_save (src, before_path, 92, &err) != 0)
    die ("save", &err);
  /* The after photo: rotated 4 degrees, scaled 1.06, shifted, brighter and warmer. */
  {
    double c = cos (4 * G_PI / 180) * 1.06, s = sin (4 * G_PI / 180) * 1.06;
    double cx = W / 2.0, cy = H / 2.0;
    double h[9] = { c, -s, cx - c * cx + s * cy + 40, s, c, cy - s * cx - c * cy - 25, 0, 0, 1 };
    DermImage *warped = NULL;
    if (derm_image_warp (src, h, W, H, &warped, &err) != 0)
      die ("warp", &err);
    guint8 *px = g_malloc ((size_t) W * H * 3);
    derm_image_copy_rgb (warped, px, (size_t) W * 3);
    for (size_t i = 0; i < (size_t) W * H; i++)
      {
        px[3 * i] = (guint8) MIN (255, px[3 * i] * 1.10 + 6);
        px[3 * i + 1] = (guint8) MIN (255, px[3 * i + 1] * 1.04 + 6);
        px[3 * i + 2] = (guint8) MIN (255, px[3 * i + 2] * 0.95 + 6);
      }
    DermImage *after = NULL;
    if (derm_image_new_from_rgb (W, H, px, (size_t) W * 3, &after, &err) != 0)
      die ("new", &err);
    if (derm_image_save (after, after_path, 92, &err) != 0)
      die ("save", &err);
    derm_image_free (after);
    derm_image_free (warped);
    g_free (px);
  }
  derm_image_free (src);

  GStatBuf st;
  g_stat (before_path, &st);
  printf ("image: %dx%d JPEG q92, %.1f MB on disk, %ld cores, load average %.1f\n", W, H, st.st_size / 1e6,
          sysconf (_SC_NPROCESSORS_ONLN), load_average ());

  DermImage *before = NULL, *after = NULL;
  double t_decode, t_metrics, t_red_tex, t_memcpy, t_thumb, t_align;
  TIME_MEDIAN (t_decode, { derm_image_free (before); before = NULL;
                           if (derm_image_load_file (before_path, NULL, &before, &err) != 0) die ("load", &err); });
  if (derm_image_load_file (after_path, NULL, &after, &err) != 0)
    die ("load", &err);
  const double decoded_mb = (double) W * H * 3 / 1e6;

  DermAnalysisSettings rt;
  derm_analysis_settings_init (&rt);
  rt.metrics = DERM_METRICS_REDNESS | DERM_METRICS_TEXTURE;
  DermAnalysis *a = NULL;
  TIME_MEDIAN (t_red_tex, { derm_analysis_free (a); a = NULL;
                            if (derm_analyze (before, NULL, &rt, &a, &err) != 0) die ("analyze", &err); });
  double cpu0 = cpu_seconds (RUSAGE_SELF);
  TIME_MEDIAN (t_metrics, { derm_analysis_free (a); a = NULL;
                            if (derm_analyze (before, NULL, NULL, &a, &err) != 0) die ("analyze", &err); });
  double cpu_metrics = (cpu_seconds (RUSAGE_SELF) - cpu0) / REPEAT;
  DermRednessMetrics red;
  DermTextureMetrics tex;
  derm_analysis_get_redness (a, &red);
  derm_analysis_get_texture (a, &tex);
  derm_analysis_free (a);

  guint8 *p1 = g_malloc ((size_t) W * H * 3), *p2 = g_malloc ((size_t) W * H * 3);
  derm_image_copy_rgb (before, p1, (size_t) W * 3);
  TIME_MEDIAN (t_memcpy, { memcpy (p2, p1, (size_t) W * H * 3); });
  volatile guint8 sink = p2[12345];
  (void) sink;
  g_free (p1);
  g_free (p2);

  DermLoadOptions thumb = { 512 };
  DermImage *t = NULL;
  TIME_MEDIAN (t_thumb, { derm_image_free (t); t = NULL;
                          if (derm_image_load_file (before_path, &thumb, &t, &err) != 0) die ("thumb", &err); });
  int tw = derm_image_get_width (t), th = derm_image_get_height (t);
  derm_image_free (t);

  DermAlignment *al = NULL;
  double ta[3];
  for (int r = 0; r < 3; r++)
    {
      derm_alignment_free (al);
      al = NULL;
      double t0 = now ();
      if (derm_align (before, after, NULL, &al, &err) != 0)
        die ("align", &err);
      ta[r] = now () - t0;
    }
  qsort (ta, 3, sizeof (double), cmp_double);
  t_align = ta[1];
  /* What derm_align no longer does: warp the whole after photo (only
   * showing or saving the aligned photo asks for it) */
  double t_warp = now ();
  if (derm_alignment_get_warped (al) == NULL)
    die ("warp", &err);
  t_warp = now () - t_warp;

  /* Colour chart: detection and the fit, on 24 MP */
  double t_chart, cpu_chart;
  DermChartFit fit = { 0 };
  {
    DermImage *chart = NULL;
    DermAnalysisSettings cs;
    derm_analysis_settings_init (&cs);
    cs.wb_mode = DERM_WB_CHART;
    if (derm_image_load_file (chart_path, NULL, &chart, &err) != 0)
      die ("load", &err);
    double cpu_c = cpu_seconds (RUSAGE_SELF);
    TIME_MEDIAN (t_chart, { if (derm_chart_fit (chart, &cs, &fit, NULL, &err) != 0) die ("chart", &err); });
    cpu_chart = (cpu_seconds (RUSAGE_SELF) - cpu_c) / REPEAT;
    derm_image_free (chart);
  }

  /* The whole `dermis-cli compare` of the pair: decode, align, measure */
  double t_cli = -1, cpu_cli = -1;
  const char *cli = g_getenv ("DERMIS_CLI");
  if (cli != NULL)
    {
      double tc[3];
      double cpu_c0 = cpu_seconds (RUSAGE_CHILDREN);
      for (int r = 0; r < 3; r++)
        {
          const char *cargv[] = { cli, "compare", before_path, after_path, "--json", NULL };
          int wait_status = 0;
          double t0 = now ();
          if (!g_spawn_sync (NULL, (char **) cargv, NULL, G_SPAWN_STDOUT_TO_DEV_NULL, NULL, NULL, NULL, NULL,
                             &wait_status, NULL) || !g_spawn_check_wait_status (wait_status, NULL))
            {
              fprintf (stderr, "bench-imaging: dermis-cli compare failed\n");
              exit (1);
            }
          tc[r] = now () - t0;
        }
      qsort (tc, 3, sizeof (double), cmp_double);
      t_cli = tc[1];
      cpu_cli = (cpu_seconds (RUSAGE_CHILDREN) - cpu_c0) / 3;
    }
  DermAlignmentResult ar;
  derm_alignment_get_result (al, &ar);
  derm_alignment_free (al);
  derm_image_free (before);
  derm_image_free (after);

  printf ("decode_ms: %.1f\n", t_decode * 1e3);
  printf ("metrics_redness_texture_ms: %.1f (target <= 400)\n", t_red_tex * 1e3);
  printf ("metrics_all_with_tone_ms: %.1f (target <= 400; CPU %.1f ms over all threads)\n", t_metrics * 1e3,
          cpu_metrics * 1e3);
  printf ("memcpy_decoded_ms: %.1f (%.0f MB)\n", t_memcpy * 1e3, decoded_mb);
  printf ("metrics_over_memcpy: %.1fx\n", t_red_tex / t_memcpy);
  printf ("thumbnail_512_ms: %.1f (%dx%d, target <= 60)\n", t_thumb * 1e3, tw, th);
  printf ("align_ms: %.1f (target <= 1500; %d inliers of %d, rms %.2f px, overlap %.3f)\n", t_align * 1e3,
          ar.n_inliers, ar.n_matches, ar.rms_error, ar.overlap);
  printf ("warp_whole_after_ms: %.1f (made only when the aligned photo is shown or saved)\n", t_warp * 1e3);
  printf ("chart_detect_fit_ms: %.1f (target <= 300; CPU %.1f ms; mean CIEDE2000 %.2f, found %d)\n", t_chart * 1e3,
          cpu_chart * 1e3, fit.delta_e_mean, fit.found_automatically);
  if (t_cli >= 0)
    printf ("cli_compare_pair_ms: %.1f (target <= 1500; CPU %.1f ms over all threads)\n", t_cli * 1e3,
            cpu_cli * 1e3);
  else
    printf ("cli_compare_pair_ms: unavailable (DERMIS_CLI not set)\n");

  double peak_an = stage_peak_mb (self, "analyze", before_path, NULL);
  double peak_al = stage_peak_mb (self, "align", before_path, after_path);
  double peak_th = stage_peak_mb (self, "thumbnail", before_path, NULL);
  printf ("peak_rss_decode_analyze_mb: %.0f (%.2fx decoded %.0f MB, target <= 6x)\n", peak_an, peak_an / decoded_mb, decoded_mb);
  printf ("peak_rss_decode_align_pair_mb: %.0f (%.2fx one decoded image)\n", peak_al, peak_al / decoded_mb);
  printf ("peak_rss_thumbnail_mb: %.0f\n", peak_th);
  printf ("a_mean: %.3f a_median: %.3f red_area_pct: %.2f glcm_contrast_d1: %.4f roughness: %.4f\n",
          red.a_mean, red.a_median, red.red_area_pct, tex.glcm[0].contrast, tex.roughness);
  printf ("load_average_after: %.1f\n", load_average ());
  fflush (stdout);

  if (srcdir != NULL)
    {
      g_autofree char *script = g_build_filename (srcdir, "tests", "reference", "bench_skimage.py", NULL);
      const char *pargv[] = { "/usr/bin/python3", script, before_path, NULL };
      g_autofree char *py_out = NULL;
      int wait_status = 0;
      if (g_spawn_sync (NULL, (char **) pargv, NULL, G_SPAWN_DEFAULT, NULL, NULL, &py_out, NULL, &wait_status, &error)
          && g_spawn_check_wait_status (wait_status, NULL))
        {
          char *end = NULL;
          double t_sk = g_ascii_strtod (py_out, &end);
          double cpu_sk = g_ascii_strtod (end, NULL);
          printf ("skimage_metrics_all_with_tone_ms: %.1f (CPU %.1f ms)\n", t_sk * 1e3, cpu_sk * 1e3);
          printf ("speedup_vs_skimage: %.1fx\n", t_sk / t_metrics);
          printf ("metrics_all_with_tone_over_skimage: %.3f (CPU %.3f)\n", t_metrics / t_sk, cpu_metrics / cpu_sk);
          printf ("chart_detect_fit_over_skimage: %.3f\n", t_chart / t_sk);
          if (t_cli >= 0)
            printf ("cli_compare_pair_over_skimage: %.3f\n", t_cli / t_sk);
        }
      else
        printf ("skimage_metrics_ms: unavailable (%s)\n", error ? error->message : "python failed");
    }

  g_unlink (before_path);
  g_unlink (after_path);
  g_unlink (chart_path);
  g_rmdir (dir);
  return 0;
}
