/* derm-capture-check.h
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * What the capture window judges: whether a preview's pose (derm_pose_estimate
 * ()) is within the limits past which a comparison with the baseline carries
 * a pose warning (derm-compare-metrics.h), which way to move the camera, and
 * the checks a shot must pass before it is kept: exposure clipping,
 * sharpness against the baseline (the comparison's sharpness gate) and pose.
 */
#pragma once

#include <glib.h>

#include "derm-imaging.h"

G_BEGIN_DECLS

/* The content may sit this far (a fraction of the frame's width or height)
 * from where the baseline has it. The comparison aligns away any shift,
 * so it sets no limit of its own; this keeps the measured region inside
 * both photos. */
#define DERM_CAPTURE_MAX_OFFSET 0.05

/* Which way to move the camera; several at once */
typedef enum
{
  DERM_CAPTURE_ADVICE_NONE         = 0,
  DERM_CAPTURE_ADVICE_LEFT         = 1 << 0,
  DERM_CAPTURE_ADVICE_RIGHT        = 1 << 1,
  DERM_CAPTURE_ADVICE_UP           = 1 << 2,
  DERM_CAPTURE_ADVICE_DOWN         = 1 << 3,
  DERM_CAPTURE_ADVICE_CLOSER       = 1 << 4,
  DERM_CAPTURE_ADVICE_BACK         = 1 << 5,
  DERM_CAPTURE_ADVICE_TURN_CW      = 1 << 6,   /* turn the camera clockwise */
  DERM_CAPTURE_ADVICE_TURN_CCW     = 1 << 7,
} DermCaptureAdvice;

#define DERM_CAPTURE_N_ADVICE 8

/* The advice for @pose; DERM_CAPTURE_ADVICE_NONE when it is within the
 * limits */
DermCaptureAdvice derm_capture_advise             (const DermPose    *pose);
/* "Move the camera to the right", translated; @advice a single flag */
const char       *derm_capture_advice_to_text     (DermCaptureAdvice  advice);
/* A symbolic icon name for a single flag: an arrow */
const char       *derm_capture_advice_to_icon     (DermCaptureAdvice  advice);
/* How far @pose is from the baseline's in one line, translated:
 * "Turned 3°, 4% larger, 2% off centre" */
char             *derm_capture_pose_describe      (const DermPose    *pose);

typedef struct
{
  double   clipped_pct;        /* % of the shot's pixels with a channel at 0 or 255 */
  double   sharpness_ratio;    /* shot / baseline, at a common scale; NAN without baseline */
  gboolean has_pose;
  DermPose pose;
  gboolean exposure_ok;
  gboolean sharpness_ok;
  gboolean pose_ok;
} DermCaptureChecks;

/* Checks @shot against @baseline (nullable: no baseline yet, only the
 * exposure is judged) and @pose (nullable: none could be found, which fails
 * the pose check when there is a baseline). Any thread. FALSE with @error
 * only when the images cannot be analysed. */
gboolean derm_capture_check_shot (const DermImage   *shot,
                                  const DermImage   *baseline,
                                  const DermPose    *pose,
                                  DermCaptureChecks *out,
                                  GError           **error);
/* The failed checks as sentences saying what to do, translated; NULL-
 * terminated, empty when every check passed */
char   **derm_capture_checks_problems (const DermCaptureChecks *checks);

G_END_DECLS
