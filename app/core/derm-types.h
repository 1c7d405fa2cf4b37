/* derm-types.h
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Forward declarations of every app type, so headers include this
 * instead of each other.
 */
#pragma once

#include <glib-object.h>

G_BEGIN_DECLS

typedef struct _DermClient    DermClient;
typedef struct _DermScreening DermScreening;
typedef struct _DermTreatment DermTreatment;
typedef struct _DermStore     DermStore;
typedef struct _DermFinding   DermFinding;
typedef struct _DermPhoto     DermPhoto;
typedef struct _DermProtocol  DermProtocol;
typedef struct _DermClinic    DermClinic;
typedef struct _DermSeries    DermSeries;
typedef struct _DermAppointment DermAppointment;
typedef struct _DermPlanner   DermPlanner;
typedef struct _DermPlanProposal DermPlanProposal;
typedef struct _DermDueItem   DermDueItem;
typedef struct _DermPhotoLibrary DermPhotoLibrary;
typedef struct _DermThumbnailer DermThumbnailer;
typedef struct _DermComparison DermComparison;
typedef struct _DermRegion    DermRegion;
typedef struct _DermTrend     DermTrend;

G_END_DECLS
