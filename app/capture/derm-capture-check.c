/* derm-capture-check.c
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "derm-capture"

#include "config.h"

#include <glib/gi18n.h>
#include <math.h>

#include "derm-camera.h"
#include "derm-capture-check.h"
#include "derm-compare-metrics.h"
#include "derm-imaging-error.h"

/* Sharpness is compared at one scale: the variance of the Laplacian
 * depends on it */
#define SHARPNESS_SIDE 1024

DermCaptureAdvice
derm_capture_advise (const DermPose *pose)
{
  DermCaptureAdvice advice = DERM_CAPTURE_ADVICE_NONE;
  double scale_change;

  g_return_val_if_fail (pose != NULL, DERM_CAPTURE_ADVICE_NONE);

  /* The subject too far right in the frame: the camera moves right to
   * bring it back to the centre; too large: the camera moves back;
   * turned clockwise: turning the camera clockwise turns it back. */
  if (pose->offset_x > DERM_CAPTURE_MAX_OFFSET)
    advice |= DERM_CAPTURE_ADVICE_RIGHT;
  else if (pose->offset_x < -DERM_CAPTURE_MAX_OFFSET)
    advice |= DERM_CAPTURE_ADVICE_LEFT;
  if (pose->offset_y > DERM_CAPTURE_MAX_OFFSET)
    advice |= DERM_CAPTURE_ADVICE_DOWN;
  else if (pose->offset_y < -DERM_CAPTURE_MAX_OFFSET)
    advice |= DERM_CAPTURE_ADVICE_UP;
  scale_change = 100.0 * (pose->scale - 1.0);
  if (scale_change > DERM_WARN_SCALE_CHANGE)
    advice |= DERM_CAPTURE_ADVICE_BACK;
  else if (scale_change < -DERM_WARN_SCALE_CHANGE)
    advice |= DERM_CAPTURE_ADVICE_CLOSER;
  if (pose->rotation_deg > DERM_WARN_ROTATION_DEG)
    advice |= DERM_CAPTURE_ADVICE_TURN_CW;
  else if (pose->rotation_deg < -DERM_WARN_ROTATION_DEG)
    advice |= DERM_CAPTURE_ADVICE_TURN_CCW;
  return advice;
}

const char *
derm_capture_advice_to_text (DermCaptureAdvice advice)
{
  switch (advice)
    {
    case DERM_CAPTURE_ADVICE_LEFT:
      return _("Move the camera to the left");
    case DERM_CAPTURE_ADVICE_RIGHT:
      return _("Move the camera to the right");
    case DERM_CAPTURE_ADVICE_UP:
      return _("Move the camera up");
    case DERM_CAPTURE_ADVICE_DOWN:
      return _("Move the camera down");
    case DERM_CAPTURE_ADVICE_CLOSER:
      return _("Move the camera closer");
    case DERM_CAPTURE_ADVICE_BACK:
      return _("Move the camera back");
    case DERM_CAPTURE_ADVICE_TURN_CW:
      return _("Turn the camera clockwise");
    case DERM_CAPTURE_ADVICE_TURN_CCW:
      return _("Turn the camera anticlockwise");
    case DERM_CAPTURE_ADVICE_NONE:
      return _("Pose matches the baseline");
    default:
      g_return_val_if_reached (NULL);
    }
}

const char *
derm_capture_advice_to_icon (DermCaptureAdvice advice)
{
  switch (advice)
    {
    case DERM_CAPTURE_ADVICE_LEFT:
      return "go-previous-symbolic";
    case DERM_CAPTURE_ADVICE_RIGHT:
      return "go-next-symbolic";
    case DERM_CAPTURE_ADVICE_UP:
      return "go-up-symbolic";
    case DERM_CAPTURE_ADVICE_DOWN:
      return "go-down-symbolic";
    case DERM_CAPTURE_ADVICE_CLOSER:
      return "zoom-in-symbolic";
    case DERM_CAPTURE_ADVICE_BACK:
      return "zoom-out-symbolic";
    case DERM_CAPTURE_ADVICE_TURN_CW:
      return "object-rotate-right-symbolic";
    case DERM_CAPTURE_ADVICE_TURN_CCW:
      return "object-rotate-left-symbolic";
    case DERM_CAPTURE_ADVICE_NONE:
      return "emblem-ok-symbolic";
    default:
      g_return_val_if_reached (NULL);
    }
}

char *
derm_capture_pose_describe (const DermPose *pose)
{
  double off = 100.0 * fmax (fabs (pose->offset_x), fabs (pose->offset_y));
  double scale_change = 100.0 * (pose->scale - 1.0);
  g_autofree char *turn = g_strdup_printf (_("Turned %.0f°"), fabs (pose->rotation_deg));
  g_autofree char *size = scale_change >= 0
    ? g_strdup_printf (_("%.0f%% larger"), scale_change)
    : g_strdup_printf (_("%.0f%% smaller"), -scale_change);
  g_autofree char *centre = g_strdup_printf (_("%.0f%% off centre"), off);

  /* TRANSLATORS: the three parts of a pose: "Turned 3°, 4% larger, 2% off centre" */
  return g_strdup_printf (_("%s, %s, %s"), turn, size, centre);
}

static double
sharpness_at (const DermImage  *image,
              int               side,
              GError          **error)
{
  DermImage *small = NULL;
  DermAnalysis *analysis = NULL;
  DermAnalysisSettings settings;
  DermQualityMetrics quality;
  DermError err;

  derm_analysis_settings_init (&settings);
  settings.metrics = DERM_METRICS_REDNESS;
  if (derm_image_resize (image, side, &small, &err) != DERM_STATUS_OK ||
      derm_analyze (small, NULL, &settings, &analysis, &err) != DERM_STATUS_OK)
    {
      g_autofree char *message = derm_imaging_error_message (&err);

      g_set_error_literal (error, DERM_CAMERA_ERROR, DERM_CAMERA_ERROR_FAILED, message);
      derm_image_free (small);
      return NAN;
    }
  derm_analysis_get_quality (analysis, &quality);
  derm_analysis_free (analysis);
  derm_image_free (small);
  return quality.sharpness;
}

gboolean
derm_capture_check_shot (const DermImage   *shot,
                         const DermImage   *baseline,
                         const DermPose    *pose,
                         DermCaptureChecks *out,
                         GError           **error)
{
  DermAnalysisSettings settings;
  DermAnalysis *analysis = NULL;
  DermQualityMetrics quality;
  DermError err;

  g_return_val_if_fail (shot != NULL && out != NULL, FALSE);

  *out = (DermCaptureChecks) { .sharpness_ratio = NAN };
  derm_analysis_settings_init (&settings);
  settings.metrics = DERM_METRICS_REDNESS;
  if (derm_analyze (shot, NULL, &settings, &analysis, &err) != DERM_STATUS_OK)
    {
      g_autofree char *message = derm_imaging_error_message (&err);

      g_set_error_literal (error, DERM_CAMERA_ERROR, DERM_CAMERA_ERROR_FAILED, message);
      return FALSE;
    }
  derm_analysis_get_quality (analysis, &quality);
  derm_analysis_free (analysis);
  out->clipped_pct = quality.clipped_pct;
  out->exposure_ok = quality.clipped_pct <= DERM_WARN_CLIPPED_PCT;

  if (baseline == NULL)
    {
      out->sharpness_ok = TRUE;
      out->pose_ok = TRUE;
      return TRUE;
    }

  {
    int side = MIN (SHARPNESS_SIDE, MIN (MAX (derm_image_get_width (shot), derm_image_get_height (shot)),
                                         MAX (derm_image_get_width (baseline), derm_image_get_height (baseline))));
    double s_shot = sharpness_at (shot, side, error);
    double s_base = isnan (s_shot) ? NAN : sharpness_at (baseline, side, error);

    if (isnan (s_shot) || isnan (s_base))
      return FALSE;
    out->sharpness_ratio = s_base > 0 ? s_shot / s_base : NAN;
    out->sharpness_ok = isnan (out->sharpness_ratio) ||
                        (out->sharpness_ratio >= DERM_SHARPNESS_RATIO_MIN &&
                         out->sharpness_ratio <= DERM_SHARPNESS_RATIO_MAX);
  }

  out->has_pose = pose != NULL;
  if (pose != NULL)
    out->pose = *pose;
  out->pose_ok = pose != NULL && derm_capture_advise (pose) == DERM_CAPTURE_ADVICE_NONE;
  return TRUE;
}

char **
derm_capture_checks_problems (const DermCaptureChecks *checks)
{
  GStrvBuilder *builder = g_strv_builder_new ();
  char **problems;

  if (!checks->exposure_ok)
    {
      g_autofree char *text = g_strdup_printf (_("%.1f%% of the picture is too dark or too bright to read: "
                                                 "soften the light or lock the exposure."),
                                               checks->clipped_pct);

      g_strv_builder_add (builder, text);
    }
  if (!checks->sharpness_ok)
    {
      g_autofree char *text = g_strdup_printf (checks->sharpness_ratio < DERM_SHARPNESS_RATIO_MIN
                                               ? _("The shot is softer than the baseline (%.2f of its sharpness): "
                                                   "hold the camera still and check the focus.")
                                               : _("The shot is sharper than the baseline (%.2f times its "
                                                   "sharpness): texture will not be comparable."),
                                               checks->sharpness_ratio);

      g_strv_builder_add (builder, text);
    }
  if (!checks->pose_ok)
    {
      if (!checks->has_pose)
        g_strv_builder_add (builder, _("The pose could not be compared with the baseline: "
                                       "frame the same view as the baseline photo."));
      else
        {
          g_autofree char *pose = derm_capture_pose_describe (&checks->pose);
          g_autofree char *text = g_strdup_printf (_("The pose differs from the baseline (%s): "
                                                     "follow the arrows and take it again."), pose);

          g_strv_builder_add (builder, text);
        }
    }
  problems = g_strv_builder_end (builder);
  g_strv_builder_unref (builder);
  return problems;
}
