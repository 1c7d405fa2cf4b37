/* derm-imaging.h
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The one public header of Dermis' imaging library: loading photos, the
 * redness, tone and texture metrics of IMAGING.md, alignment of an after
 * photo onto a before photo, and colour maps. Plain C, opaque handles, a
 * status code plus a message for every call that can fail. Every function
 * may be called from several threads at once as long as a handle that is
 * being freed is not used at the same time; the library keeps no global state.
 */
#pragma once

#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

/* Bumped whenever a definition in IMAGING.md changes: stored analyses with
 * another version are recomputed, never mixed with new ones. */
/* 2: grey world over the whole frame; colour-chart calibration; texture of a
 * pair measured in each photo's own pixels (or both resampled alike);
 * sharpness and clipped share; the valid area of a warp excludes every
 * pixel blended with the uncovered border.
 * 3: tone unevenness of a region 128 sigma/2 px or more each way taken on a
 * lattice of step sigma/2 (within 1e-3 of every pixel's). */
#define DERM_IMAGING_ALGORITHM_VERSION 3

/* Refused before decoding: a decompression bomb never reaches the allocator. */
#define DERM_IMAGING_MAX_PIXELS  100000000ULL
/* A photo file larger than this is refused before it is read. */
#define DERM_IMAGING_MAX_FILE_SIZE (1ULL << 30)
/* Anything smaller cannot carry a meaningful texture or alignment. */
#define DERM_IMAGING_MIN_SIDE    16

typedef enum
{
  DERM_STATUS_OK = 0,
  DERM_STATUS_INVALID_ARGUMENT,   /* a programmer error: NULL handle, bad settings */
  DERM_STATUS_NOT_FOUND,          /* the file does not exist */
  DERM_STATUS_IO,                 /* the file exists but cannot be read or written */
  DERM_STATUS_UNSUPPORTED,        /* not a JPEG or PNG file, or not a regular file */
  DERM_STATUS_CORRUPT,            /* a JPEG or PNG that cannot be decoded cleanly (truncated, damaged) */
  DERM_STATUS_TOO_LARGE,          /* over DERM_IMAGING_MAX_PIXELS */
  DERM_STATUS_TOO_SMALL,          /* under DERM_IMAGING_MIN_SIDE on a side */
  DERM_STATUS_BAD_ROI,            /* empty, outside the image, or a polygon of < 3 points */
  DERM_STATUS_ALIGNMENT_REFUSED,  /* the pair cannot be aligned in a trustworthy way */
  DERM_STATUS_NO_MEMORY,
  DERM_STATUS_INTERNAL,           /* a bug: please report it */
} DermStatus;

#define DERM_ERROR_MAX_ARGS 4

typedef struct
{
  int  code;          /* a DermStatus */
  char message[256];  /* one sentence, in English, saying what to do next */
  /* The message before formatting, so that the app can show it translated:
   * its printf format (a string literal, the catalogue's msgid; NULL when
   * the message has none, e.g. a programmer error) and each conversion of
   * the format already formatted, in order (n_args of them). */
  const char *format;
  int         n_args;
  char        args[DERM_ERROR_MAX_ARGS][128];
} DermError;

/* Human-readable name of a status ("too-large", ...), stable, for logs and JSON. */
const char *derm_status_to_string (int status);

/* ------------------------------------------------------------------ images */

typedef struct _DermImage DermImage;

typedef struct
{
  /* 0: full resolution. Otherwise the longer side of the result, reached by a
   * reduced decode (JPEG DCT scaling) followed by an area resize; never upscaled. */
  int max_side;
} DermLoadOptions;

int  derm_image_load_file   (const char            *path,
                             const DermLoadOptions *options,   /* nullable */
                             DermImage            **out,
                             DermError             *err);      /* nullable */
int  derm_image_load_memory (const void            *data,
                             size_t                 size,
                             const DermLoadOptions *options,
                             DermImage            **out,
                             DermError             *err);
/* The upright size (EXIF orientation applied) of the JPEG or PNG image in
 * @data, from its header alone, after the checks a load makes before
 * decoding (limits, a header the file is long enough for). */
int  derm_image_probe_memory (const void *data,
                              size_t      size,
                              int        *width,
                              int        *height,
                              DermError  *err);
/* Copies 8-bit RGB pixels (rows of width * 3 bytes at @stride). */
int  derm_image_new_from_rgb (int            width,
                              int            height,
                              const uint8_t *rgb,
                              size_t         stride,
                              DermImage    **out,
                              DermError     *err);
void derm_image_free        (DermImage       *image);
int  derm_image_get_width   (const DermImage *image);
int  derm_image_get_height  (const DermImage *image);
/* Copies 8-bit RGB pixels into @rgb (rows of width * 3 bytes at @stride). */
void derm_image_copy_rgb    (const DermImage *image,
                             uint8_t         *rgb,
                             size_t           stride);
/* Saves as PNG, or JPEG when @path ends in .jpg/.jpeg (@jpeg_quality 1-100). */
int  derm_image_save        (const DermImage *image,
                             const char      *path,
                             int              jpeg_quality,
                             DermError       *err);
/* Warps @image with @h (3x3 row-major, image coordinates to output
 * coordinates) onto a @width x @height canvas; pixels it does not cover are
 * black and excluded from every metric computed on the result. */
int  derm_image_warp        (const DermImage *image,
                             const double     h[9],
                             int              width,
                             int              height,
                             DermImage      **out,
                             DermError       *err);
/* The 32-level grey image the GLCM is computed from (COLOR_BGR2GRAY luma >> 3),
 * width * height bytes, row-major; for validation against a reference. */
void derm_image_copy_texture_levels (const DermImage *image,
                                     uint8_t         *levels);

/* ------------------------------------------------------------------ regions */

typedef enum
{
  DERM_ROI_WHOLE = 0,
  DERM_ROI_RECT,
  DERM_ROI_POLYGON,
} DermRoiKind;

typedef struct
{
  DermRoiKind   kind;
  int           x, y, width, height;  /* DERM_ROI_RECT */
  const double *points;               /* DERM_ROI_POLYGON: x1, y1, x2, y2, ... */
  size_t        n_points;             /* number of points, not of doubles */
} DermRoi;

/* ------------------------------------------------------------------ analysis */

typedef enum
{
  DERM_WB_NONE = 0,
  DERM_WB_GREY_WORLD,
  DERM_WB_PATCH,
  DERM_WB_CHART,   /* ColorChecker Classic: 3x3 matrix in linear RGB */
} DermWhiteBalanceMode;

typedef enum
{
  DERM_METRICS_REDNESS = 1 << 0,
  DERM_METRICS_TONE    = 1 << 1,
  DERM_METRICS_TEXTURE = 1 << 2,
  DERM_METRICS_ALL     = 0x7,
} DermMetricSet;

typedef struct
{
  DermWhiteBalanceMode wb_mode;
  int    patch_x, patch_y, patch_width, patch_height;  /* DERM_WB_PATCH */
  /* DERM_WB_CHART: 0 finds the chart automatically; 1 uses chart_corners,
   * the chart's four outer corners marked by hand, x1, y1, ... x4, y4, in
   * the order: next to the brown patch (1), the bluish-green patch (6),
   * the black patch (24), the white patch (19). */
  int    chart_manual;
  double chart_corners[8];
  double red_threshold;      /* a* at or above which a pixel counts as red */
  double roughness_sigma;    /* px, Gaussian removed from L* for roughness */
  double unevenness_sigma;   /* px, Gaussian applied to L* before its std */
  unsigned int metrics;      /* DermMetricSet */
} DermAnalysisSettings;

#define DERM_DEFAULT_RED_THRESHOLD    15.0
#define DERM_DEFAULT_ROUGHNESS_SIGMA   2.0
#define DERM_DEFAULT_UNEVENNESS_SIGMA  8.0

/* Defaults: no white balance, the DERM_DEFAULT_* values, every metric. */
void derm_analysis_settings_init (DermAnalysisSettings *settings);

typedef struct
{
  double a_mean, a_median, a_p90;  /* CIE a*, D65 */
  double ei_mean;                  /* erythema index, 100 log10(R/G) on linear R, G */
  double red_area_pct;             /* % of ROI pixels with a* >= red_threshold */
} DermRednessMetrics;

typedef enum
{
  DERM_ITA_VERY_LIGHT = 0,  /* > 55 */
  DERM_ITA_LIGHT,           /* 41 - 55 */
  DERM_ITA_INTERMEDIATE,    /* 28 - 41 */
  DERM_ITA_TAN,             /* 10 - 28 */
  DERM_ITA_BROWN,           /* -30 - 10 */
  DERM_ITA_DARK,            /* < -30 */
} DermItaClass;

const char *derm_ita_class_to_string (DermItaClass ita_class);

typedef struct
{
  double       l_mean;          /* L* mean */
  double       ita_mean;        /* degrees */
  DermItaClass ita_class;       /* class of ita_mean */
  double       l_unevenness;    /* std of blurred L* */
} DermToneMetrics;

#define DERM_GLCM_N_DISTANCES 3   /* 1, 2 and 4 px */
#define DERM_GLCM_LEVELS      32

typedef struct
{
  int    distance;
  double contrast, dissimilarity, homogeneity, asm_value, energy, correlation, entropy;
} DermGlcmProperties;

typedef struct
{
  DermGlcmProperties glcm[DERM_GLCM_N_DISTANCES];  /* means over 0, 45, 90, 135 degrees */
  double             roughness;                    /* std of L* - blur(L*) */
} DermTextureMetrics;

/* How far the photo itself can be trusted */
typedef struct
{
  double sharpness;     /* variance of the Laplacian of 8-bit luma over the region */
  double clipped_pct;   /* % of region pixels with a channel at 0 or 255 */
} DermQualityMetrics;

/* DERM_WB_CHART: where the chart was and how well the matrix fits it */
typedef struct
{
  double corners[8];       /* chart corners found or given, image pixels */
  int    found_automatically;
  double delta_e_mean;     /* CIEDE2000 of the 24 corrected patches to the reference */
  double delta_e_max;
} DermChartFit;

/* A fit of the chart with a larger mean CIEDE2000 is refused. */
#define DERM_CHART_MAX_MEAN_DELTA_E 3.0

typedef struct _DermAnalysis DermAnalysis;

int  derm_analyze (const DermImage            *image,
                   const DermRoi              *roi,        /* nullable: whole image */
                   const DermAnalysisSettings *settings,   /* nullable: defaults */
                   DermAnalysis              **out,
                   DermError                  *err);
/* How the two photos of a pair relate at the centre of the region */
typedef struct
{
  double scale;           /* before pixels per after pixel (> 1: after photo zoomed out) */
  double rotation_deg;    /* rotation of the after photo relative to the before photo */
  int    resampled;       /* 1: scales differed, both photos resampled alike */
  double common_scale;    /* resampled: target pixels per before pixel; else 1 */
} DermPairGeometry;

/* Scales closer than this are measured in each photo's own pixels. */
#define DERM_PAIR_MAX_SCALE_DIFFERENCE 0.04

/* Analyses both photos of a pair over the same skin: the ROI (before-photo
 * pixels) intersected with the area both photos cover, with the same
 * settings. @h maps after-photo pixels to before-photo pixels (row-major,
 * derm_align()). No photo is resampled for its metrics: the region is mapped
 * through @h into the after photo and each photo is measured in its own
 * pixels. When the scales differ by more than DERM_PAIR_MAX_SCALE_DIFFERENCE,
 * both photos are resampled through the same filter to a common scale.
 * Each photo is white balanced by its own reference (the grey-card patch
 * and hand-marked chart corners are mapped through @h). @geometry nullable. */
int  derm_analyze_pair (const DermImage            *before,
                        const DermImage            *after,
                        const double                h[9],
                        const DermRoi              *roi,
                        const DermAnalysisSettings *settings,
                        DermAnalysis              **out_before,
                        DermAnalysis              **out_after,
                        DermPairGeometry           *geometry,
                        DermError                  *err);
/* Rotation and scale of @h (after -> before) at before-photo point (@x, @y). */
void derm_pair_geometry_at (const double h[9], double x, double y, DermPairGeometry *out);
void derm_analysis_free (DermAnalysis *analysis);

int      derm_analysis_get_algorithm_version (const DermAnalysis *analysis);
void     derm_analysis_get_settings  (const DermAnalysis *analysis, DermAnalysisSettings *settings);
uint64_t derm_analysis_get_pixel_count (const DermAnalysis *analysis);
/* Linear-RGB gains applied by white balance, R, G, B (1, 1, 1 for none). */
void     derm_analysis_get_wb_gains  (const DermAnalysis *analysis, double gains[3]);
void     derm_analysis_get_redness   (const DermAnalysis *analysis, DermRednessMetrics *out);
void     derm_analysis_get_tone      (const DermAnalysis *analysis, DermToneMetrics *out);
void     derm_analysis_get_texture   (const DermAnalysis *analysis, DermTextureMetrics *out);
void     derm_analysis_get_quality   (const DermAnalysis *analysis, DermQualityMetrics *out);
/* The 3x3 linear-RGB colour matrix applied, row-major, R, G, B (diagonal
 * gains for none, grey world and patch). */
void     derm_analysis_get_colour_matrix (const DermAnalysis *analysis, double matrix[9]);
/* FALSE unless the analysis used DERM_WB_CHART. */
int      derm_analysis_get_chart_fit (const DermAnalysis *analysis, DermChartFit *out);

/* ------------------------------------------------------------------ colour chart
 * (derm-chart.cpp) */

/* Finds a ColorChecker Classic in @image (settings->chart_manual 0) or reads
 * it at the corners of @settings, and fits the colour matrix. Fails with
 * DERM_STATUS_BAD_ROI and the reason when no chart is found or the fit's
 * mean CIEDE2000 is above DERM_CHART_MAX_MEAN_DELTA_E. @matrix nullable. */
int  derm_chart_fit (const DermImage            *image,
                     const DermAnalysisSettings *settings,
                     DermChartFit               *out,
                     double                      matrix[9],
                     DermError                  *err);
/* The published values of the 24 patches (D50 CIELAB, X-Rite 2005)
 * adapted to D65 (Bradford), as sRGB 0-255 floats in row-major patch order,
 * for rendering test charts. */
void derm_chart_reference_srgb (double rgb[24][3]);

/* ------------------------------------------------------------------ alignment */

typedef struct
{
  int    work_side;         /* longer side of the copies features are found on */
  int    max_features;
  int    min_inliers;
  double min_inlier_ratio;  /* inliers / ratio-tested matches */
} DermAlignOptions;

void derm_align_options_init (DermAlignOptions *options);

typedef struct
{
  double h[9];          /* after-photo pixel -> before-photo pixel, row-major, h[8] = 1 */
  int    n_matches;     /* ratio-tested matches */
  int    n_inliers;
  double inlier_ratio;
  double rms_error;     /* px at full resolution, inliers only */
  double overlap;       /* fraction of the before frame the warped after photo covers */
} DermAlignmentResult;

typedef struct _DermAlignment DermAlignment;

/* Fails with DERM_STATUS_ALIGNMENT_REFUSED, the reason in @err, when the
 * alignment is not trustworthy; @out is then NULL. */
int  derm_align (const DermImage        *before,
                 const DermImage        *after,
                 const DermAlignOptions *options,   /* nullable */
                 DermAlignment         **out,
                 DermError              *err);
void derm_alignment_free (DermAlignment *alignment);
void derm_alignment_get_result (const DermAlignment *alignment, DermAlignmentResult *out);
/* The after photo in the before frame; borrowed, valid while @alignment lives
 * (it keeps the after photo's pixels, so freeing the after image first is
 * fine). Made on the first call, which is as costly as the alignment on a
 * large photo: measuring a pair does not need it. Thread-safe. */
const DermImage *derm_alignment_get_warped (const DermAlignment *alignment);

/* ------------------------------------------------------------------ maps */

#define DERM_MAP_N_TICKS 5

typedef struct
{
  double  value_min, value_max;            /* values at the two ends of the scale; clamped beyond */
  double  ticks[DERM_MAP_N_TICKS];         /* legend values, evenly spaced */
  uint8_t tick_rgba[DERM_MAP_N_TICKS][4];  /* their colours */
  char    label[64];                       /* "a*", "Change in a* (after - before)" */
} DermMapLegend;

typedef struct _DermMap DermMap;

/* Per-pixel a* on a sequential scale; outside the ROI fully transparent. */
int  derm_map_new_a_star (const DermImage            *image,
                          const DermRoi              *roi,
                          const DermAnalysisSettings *settings,
                          DermMap                   **out,
                          DermError                  *err);
/* After minus before a* of an aligned pair on a diverging scale: red got
 * redder, blue got less red, white within the "no clear change" band. */
int  derm_map_new_difference (const DermImage            *before,
                              const DermImage            *after_aligned,
                              const DermRoi              *roi,
                              const DermAnalysisSettings *settings,
                              DermMap                   **out,
                              DermError                  *err);
void           derm_map_free       (DermMap *map);
/* Straight (non-premultiplied) RGBA, rows of width * 4 bytes at *stride; borrowed. */
const uint8_t *derm_map_get_rgba   (const DermMap *map, int *width, int *height, size_t *stride);
void           derm_map_get_legend (const DermMap *map, DermMapLegend *legend);
int            derm_map_save_png   (const DermMap *map, const char *path, DermError *err);

/* ------------------------------------------------------------------ manual alignment
 * (derm-manual-align.cpp) For pairs derm_align() refuses: the user marks the
 * same 3-4 points on each photo, and the pair is aligned through them. */

/* The after -> before transform through @n_points (3 to 8) matching points,
 * x1, y1, x2, y2, ... in full-resolution pixels of each photo: 3 points
 * give an exact affine transform, 4 an exact homography, more a
 * least-squares homography. @rms_error (nullable) gets the residual in
 * before-photo pixels (0 for 3 or 4 points). Fails with
 * DERM_STATUS_ALIGNMENT_REFUSED, the reason in @err, when the points are
 * (nearly) collinear or repeated, or the transform folds, flips, or scales
 * the after photo of @after_width x @after_height by more than 4x. */
int  derm_homography_from_points (const double *after_points,
                                  const double *before_points,
                                  size_t        n_points,
                                  int           after_width,
                                  int           after_height,
                                  double        h[9],
                                  double       *rms_error,
                                  DermError    *err);
/* A copy whose longer side is at most @max_side (area resize; never
 * upscaled: a plain copy when the image is already small enough). Pixels
 * that are not real (outside a warp) stay excluded. */
int  derm_image_resize           (const DermImage *image,
                                  int              max_side,
                                  DermImage      **out,
                                  DermError       *err);
/* Copies straight (non-premultiplied) RGBA pixels into @rgba (rows of
 * width * 4 bytes at @stride); alpha is 0 on pixels that are not real
 * (the uncovered border of a warped image), 255 elsewhere. */
void derm_image_copy_rgba        (const DermImage *image,
                                  uint8_t         *rgba,
                                  size_t           stride);

/* ------------------------------------------------------------------ capture
 * (derm-pose.cpp) The live pose of a camera preview against the baseline
 * photo of the same view, at low resolution, fast enough for every preview
 * frame. The baseline is shown over the preview "contained": scaled to fit
 * the frame whole, centred; the pose says how the frame differs from that. */

typedef struct _DermPoseReference DermPoseReference;

/* Features of @baseline, found once for every frame scored against it.
 * Fails with DERM_STATUS_ALIGNMENT_REFUSED when it has too little detail. */
int  derm_pose_reference_new  (const DermImage    *baseline,
                               DermPoseReference **out,
                               DermError          *err);
void derm_pose_reference_free (DermPoseReference  *reference);

typedef struct
{
  double rotation_deg;  /* the frame's content turned against the baseline's, clockwise on screen > 0 */
  double scale;         /* size of the content in the frame / in the baseline shown over it */
  double offset_x;      /* where the content of the baseline's centre is in the frame, */
  double offset_y;      /* from the frame's centre, in frame widths and heights (right, down > 0) */
  int    n_matches;     /* ratio-tested matches */
  int    n_inliers;     /* matches the similarity transform explains */
} DermPose;

/* The pose of a frame of 8-bit RGB pixels (rows of @width * 3 bytes at
 * @stride; the channel order does not matter). Fails with
 * DERM_STATUS_ALIGNMENT_REFUSED, the reason in @err, when the frame does
 * not match the baseline (another scene, too dark, too blurred). */
int  derm_pose_estimate       (const DermPoseReference *reference,
                               int                      width,
                               int                      height,
                               const uint8_t           *rgb,
                               size_t                   stride,
                               DermPose                *out,
                               DermError               *err);

/* The outline of @image for an overlay: its edges (Canny on a copy whose
 * longer side is @max_side) in straight RGBA, @r, @g, @b opaque on the
 * edges and transparent elsewhere, written to @rgba (rows of width * 4
 * bytes at @stride, width and height those of derm_image_resize () to
 * @max_side). */
int  derm_image_edges_rgba    (const DermImage *image,
                               int              max_side,
                               uint8_t          r,
                               uint8_t          g,
                               uint8_t          b,
                               uint8_t         *rgba,
                               size_t           stride,
                               DermError       *err);

#ifdef __cplusplus
}
#endif
