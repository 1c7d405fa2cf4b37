/* derm-jpeg-dc.cpp
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The 1/8 scale decode of a baseline JPEG from its DC coefficients alone,
 * for thumbnails. At 1/8 scale a pixel is its block's DC value, so all the
 * work is entropy decoding, and the AC coefficients only need to be skipped:
 * a lookup that consumes a code and its extra bits in one step does that
 * about twice as fast as libjpeg-turbo's general decoder.
 *
 * Luma comes out exactly as libjpeg-turbo's 1/8 scale decode gives it (the
 * 1x1 IDCT, the same clamping and YCbCr -> RGB arithmetic); subsampled
 * chroma is its DC replicated (libjpeg-turbo adds the lowest AC terms).
 * Only the common case is handled: 8-bit baseline Huffman, one interleaved
 * scan, greyscale or YCbCr, integer sampling ratios with luma at the largest
 * (libjpeg would scale a subsampled luma with its AC terms). Anything else, and any
 * data that is not clean (a bad code, a missing restart marker, a truncated
 * scan), is refused with false so that the caller decodes with libjpeg,
 * whose handling of damaged files stays the reference.
 */
#include "derm-imaging-private.hpp"

#include <cstdio>  /* jpeglib.h needs FILE */

#include <jpeglib.h>

#include <algorithm>
#include <cstring>
#include <memory>

namespace {

constexpr int LOOKUP_BITS = 11;
constexpr int MULTI_BITS = 13;

/* One Huffman table: a direct lookup on the next LOOKUP_BITS bits for short
 * codes, the canonical decode (JPEG Annex F.2.2.3) for the others. */
struct HuffTable
{
  /* Lookup entry: bits 0-4 code length (0: longer than LOOKUP_BITS),
   * 5-9 code length + extra bits, 10-13 s (size), 14-17 r (run). */
  uint32_t lookup[1 << LOOKUP_BITS];
  int32_t  maxcode[18];   /* largest code of each length, -1 if none */
  int32_t  valoffset[18]; /* symbol index minus code, per length */
  uint8_t  huffval[256];
  /* AC tables: every whole (code, extra bits) pair the next MULTI_BITS bits
   * hold, up to an end of block: bits 0-4 the bits they take, 5-11 how far
   * they move the coefficient index, 12 whether the last was an end of
   * block. 0: the first pair does not fit. */
  uint16_t multi[1 << MULTI_BITS];
};

inline uint32_t
entry_len (uint32_t e) { return e & 31; }
inline uint32_t
entry_total (uint32_t e) { return (e >> 5) & 31; }
inline uint32_t
entry_s (uint32_t e) { return (e >> 10) & 15; }
inline uint32_t
entry_r (uint32_t e) { return (e >> 14) & 15; }

bool
build_table (const JHUFF_TBL *src, bool is_dc, HuffTable &t)
{
  if (src == nullptr)
    return false;
  int count = 0;
  for (int l = 1; l <= 16; l++)
    count += src->bits[l];
  if (count > 256 || count == 0)
    return false;
  std::memcpy (t.huffval, src->huffval, 256);
  std::memset (t.lookup, 0, sizeof t.lookup);
  int32_t code = 0;
  int k = 0;
  for (int l = 1; l <= 16; l++)
    {
      int n = src->bits[l];
      /* Codes of one length must fit in it, and not be all ones: libjpeg's
       * "bogus Huffman table" check, before any lookup entry is written. */
      if (n > 0 && code + n >= (1 << l))
        return false;
      t.valoffset[l] = k - code;
      for (int i = 0; i < n; i++, k++, code++)
        {
          uint8_t sym = src->huffval[k];
          uint32_t s = sym & 15, r = sym >> 4;
          if (is_dc && sym > 15)
            return false;
          if (is_dc)
            {
              s = sym;
              r = 0;
            }
          if (l <= LOOKUP_BITS)
            {
              int shift = LOOKUP_BITS - l;
              uint32_t e = (uint32_t) l | (uint32_t) (l + s) << 5 | s << 10 | r << 14;
              for (int j = 0; j < (1 << shift); j++)
                t.lookup[(code << shift) | j] = e;
            }
        }
      t.maxcode[l] = n > 0 ? code - 1 : -1;
      code <<= 1;
    }
  t.maxcode[17] = INT32_MAX;
  if (!is_dc)
    for (uint32_t w = 0; w < (1u << MULTI_BITS); w++)
      {
        uint32_t used = 0, adv = 0, eob = 0;
        /* Past 63 the entry is never taken whole: stop there (7 bits). */
        while (adv < 64)
          {
            uint64_t bits = (uint64_t) w << (64 - MULTI_BITS) << used;
            uint32_t e = t.lookup[bits >> (64 - LOOKUP_BITS)];
            if (e == 0 || used + entry_total (e) > MULTI_BITS)
              break;
            used += entry_total (e);
            if (entry_s (e) != 0)
              adv += entry_r (e) + 1;
            else if (entry_r (e) == 15)
              adv += 16;
            else
              {
                eob = 1;
                break;
              }
          }
        t.multi[w] = (uint16_t) (used | adv << 5 | eob << 12);
      }
  return true;
}

/* The entropy-coded data, MSB first in a 64-bit buffer, with byte stuffing
 * removed; zeros after a marker or the end, counted in fake_bits. */
struct BitReader
{
  const uint8_t *p;
  const uint8_t *end;
  uint64_t       buf = 0;
  int            nbits = 0;
  int            fake_bits = 0;
  bool           at_marker = false;

  void
  fill ()
  {
    /* Eight bytes without 0xFF: take as many whole bytes as fit at once; the
     * bits of the next byte past them land where the next fill puts them. */
    if (!at_marker && end - p >= 8)
      {
        uint64_t w;
        std::memcpy (&w, p, 8);
        uint64_t t = ~w;
        if (((t - 0x0101010101010101ULL) & ~t & 0x8080808080808080ULL) == 0)
          {
            w = __builtin_bswap64 (w);
            int n = (63 - nbits) >> 3;
            buf |= w >> nbits;
            p += n;
            nbits += n * 8;
            return;
          }
      }
    while (nbits <= 56)
      {
        uint32_t b = 0;
        if (!at_marker && p < end)
          {
            if (p[0] != 0xFF)
              b = *p++;
            else if (p + 1 < end && p[1] == 0x00)
              {
                b = 0xFF;
                p += 2;
              }
            else
              at_marker = true;  /* p stays on the marker's first 0xFF */
          }
        else
          at_marker = true;
        if (at_marker)
          fake_bits += 8;
        buf |= (uint64_t) b << (56 - nbits);
        nbits += 8;
      }
  }

  void
  ensure32 ()
  {
    if (nbits < 32)
      fill ();
  }

  /* False when the decode read into the zeros past the data. */
  bool
  clean () const
  {
    return nbits >= fake_bits;
  }

  void
  drop (int n)
  {
    buf <<= n;
    nbits -= n;
  }

  /* The next symbol when its code is longer than LOOKUP_BITS; -1 if none. */
  int
  slow_symbol (const HuffTable &t, int *len) const
  {
    for (int l = LOOKUP_BITS + 1; l <= 16; l++)
      {
        int32_t code = (int32_t) (buf >> (64 - l));
        if (code <= t.maxcode[l])
          {
            *len = l;
            return t.huffval[(t.valoffset[l] + code) & 0xFF];
          }
      }
    return -1;
  }
};

struct Component
{
  int        h, v;          /* sampling factors */
  int        bw, bh;        /* blocks, padded to whole MCUs */
  int        quant0;        /* DC quantisation step */
  const HuffTable *dc;
  const HuffTable *ac;
  int        pred;
  uint8_t   *plane;         /* one sample per block */
};

/* libjpeg-turbo's post-IDCT range limit: the value & 1023 wraps. */
struct RangeLimit
{
  uint8_t t[1024];
  RangeLimit ()
  {
    for (int j = 0; j < 1024; j++)
      t[j] = j < 128 ? (uint8_t) (j + 128) : j < 512 ? 255 : j < 896 ? 0 : (uint8_t) (j - 896);
  }
};

/* Decodes one block: its DC difference added to @c's predictor, its AC
 * coefficients skipped. False on a code that is in no table. */
inline bool
decode_block (BitReader &br, Component &c, const RangeLimit &rl, uint8_t *out)
{
  br.ensure32 ();
  uint32_t e = c.dc->lookup[br.buf >> (64 - LOOKUP_BITS)];
  int len, s;
  if (e != 0)
    {
      len = (int) entry_len (e);
      s = (int) entry_s (e);
    }
  else
    {
      s = br.slow_symbol (*c.dc, &len);
      if (s < 0)
        return false;
    }
  br.drop (len);
  int diff = 0;
  if (s > 0)
    {
      uint32_t v = (uint32_t) (br.buf >> (64 - s));
      br.drop (s);
      diff = v < (1u << (s - 1)) ? (int) v - (1 << s) + 1 : (int) v;
    }
  c.pred = (int) ((unsigned) c.pred + (unsigned) diff);
  /* As libjpeg: the coefficient is a 16-bit JCOEF, the 1x1 IDCT
   * DESCALE (coef * q, 3) into the range-limit table. */
  int dc = (int) (int16_t) c.pred * c.quant0;
  *out = rl.t[((dc + 4) >> 3) & 1023];

  /* The AC coefficients, skipped: several codes per lookup where they fit,
   * one at a time where not. k is the next coefficient, as in libjpeg. */
  const HuffTable &ac = *c.ac;
  int k = 1;
  while (k < 64)
    {
      br.ensure32 ();
      uint32_t m = ac.multi[br.buf >> (64 - MULTI_BITS)];
      int adv = (int) (m >> 5) & 127;
      bool eob = (m >> 12) != 0;
      /* Whole only if the block does not end before the last code. */
      if (m != 0 && (k + adv < 64 || (!eob && k + adv == 64)))
        {
          br.drop ((int) (m & 31));
          k += adv;
          if (eob)
            return true;
          continue;
        }
      uint32_t a = ac.lookup[br.buf >> (64 - LOOKUP_BITS)];
      int r, size, total;
      if (a != 0)
        {
          r = (int) entry_r (a);
          size = (int) entry_s (a);
          total = (int) entry_total (a);
        }
      else
        {
          int l;
          int sym = br.slow_symbol (ac, &l);
          if (sym < 0)
            return false;
          r = sym >> 4;
          size = sym & 15;
          total = l + size;
        }
      br.drop (total);
      if (size != 0)
        k += r + 1;
      else if (r == 15)
        k += 16;
      else
        break;
    }
  return true;
}

} /* namespace */

bool
derm::decode_jpeg_dc (j_decompress_ptr cinfo, const uint8_t *scan, size_t scan_len, cv::Mat &bgr, bool ycc)
{
  const int nc = cinfo->num_components;
  if (cinfo->progressive_mode || cinfo->arith_code || cinfo->data_precision != 8
      || cinfo->comps_in_scan != nc || cinfo->Ss != 0 || cinfo->Se != 63 || cinfo->Ah != 0 || cinfo->Al != 0)
    return false;
  if (!((nc == 1 && cinfo->jpeg_color_space == JCS_GRAYSCALE) || (nc == 3 && cinfo->jpeg_color_space == JCS_YCbCr)))
    return false;

  const int width = (int) cinfo->image_width, height = (int) cinfo->image_height;
  int hmax = 1, vmax = 1;
  for (int i = 0; i < nc; i++)
    {
      hmax = std::max (hmax, cinfo->comp_info[i].h_samp_factor);
      vmax = std::max (vmax, cinfo->comp_info[i].v_samp_factor);
    }
  /* One component: a non-interleaved scan of its own blocks, no MCU padding. */
  const int mcu_w = nc == 1 ? 8 : 8 * hmax, mcu_h = nc == 1 ? 8 : 8 * vmax;
  const int mcus_x = (width + mcu_w - 1) / mcu_w, mcus_y = (height + mcu_h - 1) / mcu_h;

  std::unique_ptr<HuffTable> tables[8];  /* DC 0-3, AC 4-7; 25 kB each */
  Component comps[3];        /* in scan order */
  Component *frame[3] = {};  /* in frame order: Y, Cb, Cr */
  int blocks_in_mcu = 0;
  std::vector<uint8_t> planes[3];
  for (int i = 0; i < nc; i++)
    {
      const jpeg_component_info *ci = cinfo->cur_comp_info[i];
      Component &c = comps[i];
      if (ci->component_index < 0 || ci->component_index >= nc || frame[ci->component_index] != nullptr)
        return false;
      frame[ci->component_index] = &c;
      c.h = nc == 1 ? 1 : ci->h_samp_factor;
      c.v = nc == 1 ? 1 : ci->v_samp_factor;
      if (hmax % c.h != 0 || vmax % c.v != 0)
        return false;
      blocks_in_mcu += c.h * c.v;
      c.bw = mcus_x * c.h;
      c.bh = mcus_y * c.v;
      if (ci->quant_tbl_no < 0 || ci->quant_tbl_no >= NUM_QUANT_TBLS || cinfo->quant_tbl_ptrs[ci->quant_tbl_no] == nullptr)
        return false;
      c.quant0 = cinfo->quant_tbl_ptrs[ci->quant_tbl_no]->quantval[0];
      int dcn = ci->dc_tbl_no, acn = ci->ac_tbl_no;
      if (dcn < 0 || dcn >= NUM_HUFF_TBLS || acn < 0 || acn >= NUM_HUFF_TBLS)
        return false;
      for (int t : { dcn, 4 + acn })
        if (!tables[t])
          {
            tables[t].reset (new HuffTable);
            if (!build_table (t < 4 ? cinfo->dc_huff_tbl_ptrs[t] : cinfo->ac_huff_tbl_ptrs[t - 4], t < 4, *tables[t]))
              return false;
          }
      c.dc = tables[dcn].get ();
      c.ac = tables[4 + acn].get ();
      c.pred = 0;
      planes[i].resize ((size_t) c.bw * c.bh);
      c.plane = planes[i].data ();
    }
  if (blocks_in_mcu > 10)
    return false;
  /* Luma at full sampling: libjpeg scales a subsampled luma up with a larger
   * IDCT (its AC terms), which this decoder does not reproduce. */
  if (nc == 3 && (frame[0]->h != hmax || frame[0]->v != vmax))
    return false;

  static const RangeLimit rl;
  BitReader br;
  br.p = scan;
  br.end = scan + scan_len;
  const unsigned int restart = cinfo->restart_interval;
  unsigned int to_restart = restart;
  int next_rst = 0;
  for (int my = 0; my < mcus_y; my++)
    for (int mx = 0; mx < mcus_x; mx++)
      {
        if (restart != 0)
          {
            if (to_restart == 0)
              {
                /* Only the padding of the last byte may remain, then RSTn. */
                if (!br.clean () || br.nbits - br.fake_bits >= 8)
                  return false;
                const uint8_t *q = br.p;
                if (q >= br.end || *q != 0xFF)
                  return false;
                while (q < br.end && *q == 0xFF)
                  q++;
                if (q >= br.end || *q != 0xD0 + next_rst)
                  return false;
                next_rst = (next_rst + 1) & 7;
                br.p = q + 1;
                br.buf = 0;
                br.nbits = br.fake_bits = 0;
                br.at_marker = false;
                for (int i = 0; i < nc; i++)
                  comps[i].pred = 0;
                to_restart = restart;
              }
            to_restart--;
          }
        for (int i = 0; i < nc; i++)
          {
            Component &c = comps[i];
            for (int by = 0; by < c.v; by++)
              {
                uint8_t *row = c.plane + (size_t) (my * c.v + by) * c.bw + (size_t) mx * c.h;
                for (int bx = 0; bx < c.h; bx++)
                  if (!decode_block (br, c, rl, row + bx))
                    return false;
              }
          }
        if (!br.clean ())
          return false;
      }

  /* The scan must end right at the end-of-image marker: only the padding
   * of its last byte, then fill bytes, then 0xFF 0xD9. Anything else (data
   * left over, another scan or segment) is for libjpeg to judge, which
   * warns about extraneous data. */
  if (br.nbits - br.fake_bits >= 8)
    return false;
  {
    const uint8_t *q = br.p;
    if (q >= br.end || *q != 0xFF)
      return false;
    while (q < br.end && *q == 0xFF)
      q++;
    if (q >= br.end || *q != 0xD9)
      return false;
  }

  /* The 1/8 image: what libjpeg gives at scale 1/8, ceil (size / 8). */
  const int ow = (width + 7) / 8, oh = (height + 7) / 8;
  bgr.create (oh, ow, CV_8UC3);
  if (nc == 1)
    {
      for (int y = 0; y < oh; y++)
        {
          const uint8_t *src = comps[0].plane + (size_t) y * comps[0].bw;
          uint8_t *d = bgr.ptr<uint8_t> (y);
          for (int x = 0; x < ow; x++)
            d[3 * x] = d[3 * x + 1] = d[3 * x + 2] = src[x];
        }
      return true;
    }

  /* YCbCr -> BGR with libjpeg's fixed-point tables (jdcolor.c). */
  constexpr int SCALEBITS = 16;
  constexpr int32_t ONE_HALF = 1 << (SCALEBITS - 1);
  auto fix = [] (double x) { return (int32_t) (x * (1L << SCALEBITS) + 0.5); };
  static const struct Tables
  {
    int     cr_r[256], cb_b[256];
    int32_t cr_g[256], cb_g[256];
    uint8_t clamp[3 * 256];
  } *tab = [&] {
    static Tables t;
    for (int i = 0; i < 256; i++)
      {
        int x = i - 128;
        t.cr_r[i] = (int) ((fix (1.40200) * x + ONE_HALF) >> SCALEBITS);
        t.cb_b[i] = (int) ((fix (1.77200) * x + ONE_HALF) >> SCALEBITS);
        t.cr_g[i] = -fix (0.71414) * x;
        t.cb_g[i] = -fix (0.34414) * x + ONE_HALF;
      }
    for (int i = 0; i < 3 * 256; i++)
      t.clamp[i] = (uint8_t) std::min (255, std::max (0, i - 256));
    return &t;
  } ();
  const uint8_t *clamp = tab->clamp + 256;
  const Component &cy = *frame[0], &ccb = *frame[1], &ccr = *frame[2];
  const int sx1 = hmax / ccb.h, sy1 = vmax / ccb.v;
  const int sx2 = hmax / ccr.h, sy2 = vmax / ccr.v;
  for (int y = 0; y < oh; y++)
    {
      const uint8_t *yp = cy.plane + (size_t) y * cy.bw;
      const uint8_t *cbp = ccb.plane + (size_t) (y / sy1) * ccb.bw;
      const uint8_t *crp = ccr.plane + (size_t) (y / sy2) * ccr.bw;
      uint8_t *d = bgr.ptr<uint8_t> (y);
      for (int x = 0; x < ow; x++)
        {
          int yy = yp[x], cb = cbp[x / sx1], cr = crp[x / sx2];
          if (ycc)
            {
              d[3 * x] = (uint8_t) yy;
              d[3 * x + 1] = (uint8_t) cb;
              d[3 * x + 2] = (uint8_t) cr;
              continue;
            }
          d[3 * x + 2] = clamp[yy + tab->cr_r[cr]];
          d[3 * x + 1] = clamp[yy + (int) ((tab->cb_g[cb] + tab->cr_g[cr]) >> SCALEBITS)];
          d[3 * x] = clamp[yy + tab->cb_b[cb]];
        }
    }
  return true;
}
