#!/usr/bin/python3
# Plain numpy re-implementations of the OpenVINO-only ops (src/ops/openvino_*.cpp), written from the opset
# specs, that produced the expected values pasted into tests/ops/openvino_*_test.cpp. Run with /usr/bin/python3
# (numpy); float32 throughout. The DetectionOutput cases are at the bottom (python3 this_file.py prints them).
import numpy as np
f = np.float32

def prior_box(H, W, IH, IW, min_size, max_size=(), aspect_ratio=(), flip=False, clip=False, step=0.0,
              offset=0.5, variance=(), scale_all_sizes=True, fixed_size=(), fixed_ratio=(), density=(),
              order=True):
    ars = [f(1)]
    for a in aspect_ratio:
        if any(abs(f(a) - r) < 1e-6 for r in ars): continue
        ars.append(f(a))
        if flip: ars.append(f(1) / f(a))
    var = list(variance) or [0.1]
    step = f(step); mins = [f(m) for m in min_size]
    if not scale_all_sizes:
        step = f(IH) / f(H) if step == -1 else step * f(IH)
        mins = [m * f(IH) for m in mins]
    iwi, ihi = f(1) / f(IW), f(1) / f(IH)
    sx = f(IW) / f(W) if step == 0 else step
    sy = f(IH) / f(H) if step == 0 else step
    out = []
    def box(cx, cy, bw, bh, clamp):
        b = [(cx - bw) * iwi, (cy - bh) * ihi, (cx + bw) * iwi, (cy + bh) * ihi]
        if clamp: b = [max(b[0], f(0)), max(b[1], f(0)), min(b[2], f(1)), min(b[3], f(1))]
        out.extend(b)
    for h in range(H):
        for w in range(W):
            if step == 0: cx, cy = (f(w) + f(0.5)) * sx, (f(h) + f(0.5)) * sy
            else: cx, cy = (f(offset) + f(w)) * step, (f(offset) + f(h)) * step
            for s, fs in enumerate(fixed_size):
                fsi = int(fs); d = int(density[s]); shift = int(f(fs) / f(d))
                def grid(bw, bh):
                    for r in range(d):
                        for c in range(d):
                            box(cx - f(fsi // 2) + f(shift) / f(2) + f(c * shift),
                                cy - f(fsi // 2) + f(shift) / f(2) + f(r * shift), bw, bh, True)
                if fixed_ratio:
                    for ar in fixed_ratio:
                        ar = np.sqrt(f(ar)); grid(f(fs) * f(0.5) * ar, f(fs) * f(0.5) / ar)
                else:
                    grid(f(fsi) * f(0.5), f(fsi) * f(0.5))
                    for ar in ars:
                        if abs(ar - 1) < 1e-6: continue
                        ar = np.sqrt(ar); grid(f(fs) * f(0.5) * ar, f(fs) * f(0.5) / ar)
            for m, ms in enumerate(mins):
                box(cx, cy, ms * f(0.5), ms * f(0.5), False)
                def maxb():
                    if scale_all_sizes and m < len(max_size):
                        hh = np.sqrt(ms * f(max_size[m])) * f(0.5); box(cx, cy, hh, hh, False)
                def arb():
                    if scale_all_sizes or m == len(mins) - 1:
                        base = ms if scale_all_sizes else mins[0]
                        for ar in ars:
                            if abs(ar - 1) < 1e-6: continue
                            r = np.sqrt(ar); box(cx, cy, base * f(0.5) * r, base * f(0.5) / r, False)
                if order: maxb(); arb()
                else: arb(); maxb()
    out = np.array(out, dtype=f)
    if clip: out = np.clip(out, 0, 1)
    n = out.size // 4
    v = np.tile(np.array(var if len(var) == 4 else var * 4, dtype=f), n)
    return np.stack([out, v])

def prior_box_clustered(H, W, IH, IW, widths, heights, clip=True, step=0.0, step_w=0.0, step_h=0.0, offset=0.5,
                        variance=()):
    var = list(variance) or [0.1]
    sw = f(step) if step_w == 0 else f(step_w)
    sh = f(step) if step_h == 0 else f(step_h)
    if sw == 0 and sh == 0: sw, sh = f(IW) / f(W), f(IH) / f(H)
    out = []
    for h in range(H):
        for w in range(W):
            cx, cy = (f(w) + f(offset)) * sw, (f(h) + f(offset)) * sh
            for bw, bh in zip(widths, heights):
                b = [(cx - f(bw) / f(2)) / f(IW), (cy - f(bh) / f(2)) / f(IH), (cx + f(bw) / f(2)) / f(IW),
                     (cy + f(bh) / f(2)) / f(IH)]
                if clip: b = [min(max(x, f(0)), f(1)) for x in b]
                out.extend(b)
    out = np.array(out, dtype=f); n = out.size // 4
    return np.stack([out, np.tile(np.array(var if len(var) == 4 else var * 4, dtype=f), n)])

def iou(a, b):
    if b[0] > a[2] or b[2] < a[0] or b[1] > a[3] or b[3] < a[1]: return f(0)
    w = min(a[2], b[2]) - max(a[0], b[0]); h = min(a[3], b[3]) - max(a[1], b[1])
    if not (w > 0 and h > 0): return f(0)
    area = lambda x: f(0) if (x[2] < x[0] or x[3] < x[1]) else (x[2] - x[0]) * (x[3] - x[1])
    i = w * h
    return i / (area(a) + area(b) - i)

def detection_output(loc, conf, priors, keep_top_k, nms_threshold, num_classes=None, background_label_id=0,
                     top_k=-1, variance_encoded_in_target=False, code_type="caffe.PriorBoxParameter.CORNER",
                     share_location=True, confidence_threshold=0.0, clip_after_nms=False, clip_before_nms=False,
                     decrease_label_id=False, normalized=True, input_height=1, input_width=1, objectness_score=0.0,
                     aux_conf=None, aux_loc=None):
    loc, conf, priors = [np.asarray(x, dtype=f) for x in (loc, conf, priors)]
    N = loc.shape[0]; ps = 4 if normalized else 5; P = priors.shape[2] // ps
    C = num_classes or conf.shape[1] // P; L = 1 if share_location else C
    if keep_top_k > 0: rows = N * keep_top_k
    elif top_k > 0: rows = N * top_k * C
    else: rows = N * C * P
    out = np.zeros((rows, 7), dtype=f)
    thr = f(confidence_threshold); nms = f(nms_threshold)
    def decode(prior, var, d):
        prior = [f(x) for x in prior]
        if not normalized: prior = [prior[0] / f(input_width), prior[1] / f(input_height), prior[2] / f(input_width), prior[3] / f(input_height)]
        v = var if var is not None else [f(1)] * 4
        if code_type.endswith("CORNER"):
            b = [prior[i] + v[i] * d[i] for i in range(4)]
        else:
            pw, ph = prior[2] - prior[0], prior[3] - prior[1]
            pcx, pcy = (prior[0] + prior[2]) / f(2), (prior[1] + prior[3]) / f(2)
            cx = v[0] * d[0] * pw + pcx; cy = v[1] * d[1] * ph + pcy
            w = f(np.exp(v[2] * d[2])) * pw; h = f(np.exp(v[3] * d[3])) * ph
            b = [cx - w / f(2), cy - h / f(2), cx + w / f(2), cy + h / f(2)]
        if clip_before_nms: b = [max(f(0), min(f(1), x)) for x in b]
        return b
    count = 0
    for i in range(N):
        pr = priors[0 if priors.shape[0] == 1 else i].reshape(-1)
        pbox = [pr[p * ps + (ps - 4): p * ps + ps] for p in range(P)]
        pvar = None if variance_encoded_in_target else [pr[P * ps + p * 4: P * ps + p * 4 + 4] for p in range(P)]
        lo = loc[i].reshape(P, L, 4)
        al = None if aux_loc is None else np.asarray(aux_loc, dtype=f)[i].reshape(P, L, 4)
        boxes = {}
        for c in range(L):
            if not share_location and c == background_label_id: continue
            bl = []
            for p in range(P):
                v = None if pvar is None else pvar[p]
                prior = pbox[p]
                if al is not None: prior = decode(prior, v, al[p, c])
                bl.append(decode(prior, v, lo[p, c]))
            boxes[c] = bl
        cf = conf[i].reshape(P, C)
        def score(c, p):
            if aux_conf is not None and np.asarray(aux_conf, dtype=f)[i].reshape(P, 2)[p, 1] < f(objectness_score):
                return f(1) if c == background_label_id else f(0)
            return cf[p, c]
        bx = lambda c, p: boxes[0 if share_location else c][p]
        kept = {}
        if not decrease_label_id:
            for c in range(C):
                if c == background_label_id: continue
                cand = [(score(c, p), p) for p in range(P) if score(c, p) > thr]
                cand.sort(key=lambda t: (-t[0], t[1]))
                if top_k > -1: cand = cand[:top_k]
                k = kept.setdefault(c, [])
                for s, p in cand:
                    if all(iou(bx(c, p), bx(c, q)) <= nms for q in k): k.append(p)
        else:
            cand = []
            for p in range(P):
                best, lab = f(-1), 0
                for c in range(1, C):
                    if c == background_label_id: continue
                    if score(c, p) > best: best, lab = score(c, p), c
                if lab > 0 and best >= thr: cand.append((best, lab, p))
            cand.sort(key=lambda t: (-t[0], t[2]))
            if top_k > -1: cand = cand[:top_k]
            for s, c, p in cand:
                k = kept.setdefault(c, [])
                if all(iou(bx(c, p), bx(c, q)) <= nms for q in k): k.append(p)
        total = sum(len(v) for v in kept.values())
        if keep_top_k > -1 and total > keep_top_k:
            allv = sorted([(score(c, p), p, c) for c, ps_ in kept.items() for p in ps_], key=lambda t: (-t[0], t[1], t[2]))[:keep_top_k]
            kept = {}
            for s, p, c in allv: kept.setdefault(c, []).append(p)
        for c in sorted(kept):
            for p in kept[c]:
                if count == rows: break
                b = bx(c, p)
                if clip_after_nms: b = [max(f(0), min(f(1), x)) for x in b]
                out[count] = [i, c - 1 if decrease_label_id else c, score(c, p)] + list(b)
                count += 1
    if count < rows: out[count, 0] = -1
    return out.reshape(1, 1, rows, 7)

def region_yolo(x, coords, classes, num, do_softmax, mask=(), axis=1, end_axis=3):
    x = np.asarray(x, dtype=f); N, C, H, W = x.shape
    R = num if do_softmax else len(mask); k = coords + classes + 1
    y = x.reshape(N, R, k, H * W).copy()
    sig = lambda v: (f(1) / (f(1) + np.exp(-v))).astype(f)
    y[:, :, 0:2] = sig(y[:, :, 0:2])
    if do_softmax:
        y[:, :, coords] = sig(y[:, :, coords])
        s = y[:, :, coords + 1:]
        e = np.exp(s - s.max(axis=2, keepdims=True)); y[:, :, coords + 1:] = e / e.sum(axis=2, keepdims=True)
        shape = list(x.shape[:axis]) + [int(np.prod(x.shape[axis:end_axis + 1]))] + list(x.shape[end_axis + 1:])
    else:
        y[:, :, coords:] = sig(y[:, :, coords:]); shape = x.shape
    return y.reshape(shape)

def ctc(data, mask, merge=True):
    data = np.asarray(data, dtype=f); T, N, C = data.shape
    out = -np.ones((N, T, 1, 1), dtype=f)
    for n in range(N):
        k, prev = 0, -1
        for t in range(T):
            if t > 0 and mask[t][n] == 0: break
            best = int(np.argmax(data[t, n]))
            if best != C - 1 and not (merge and best == prev): out[n, k] = best; k += 1
            prev = best
    return out

def normalize_l2(x, axes, eps, mode):
    x = np.asarray(x, dtype=np.float64)
    s = (x * x).sum(axis=tuple(axes), keepdims=True) if len(axes) else x * x
    return (x / np.sqrt(s + eps if mode == "add" else np.maximum(s, eps))).astype(f)

def mvn(x, axes, normalize_variance, eps, mode):
    x = np.asarray(x, dtype=np.float64); ax = tuple(axes)
    m = x.mean(axis=ax, keepdims=True) if ax else x
    y = x - m
    if normalize_variance:
        v = (y * y).mean(axis=ax, keepdims=True) if ax else y * y
        y = y / (np.sqrt(v + eps) if mode == "inside_sqrt" else np.sqrt(v) + eps)
    return y.astype(f)

def show(a):
    a = np.asarray(a, dtype=f).reshape(-1)
    def one(v):
        if v == int(v): return str(int(v))
        return np.format_float_positional(v, unique=True, trim="-") + "f"
    return ", ".join(one(v) for v in a)

if __name__ == "__main__":
    import numpy as np
    # 3 priors (normalized corners): p0 and p1 overlap (IoU ~0.68), p2 apart.
    pri = [0.1,0.1,0.3,0.3, 0.12,0.12,0.32,0.32, 0.6,0.6,0.9,0.9]
    var = [0.1,0.1,0.2,0.2]*3
    priors = np.array([pri+var]).reshape(1,2,12)
    loc = np.array([[0.1,0.2,-0.1,0.3, 0.0,0.0,0.0,0.0, -0.2,0.1,0.4,-0.3]])
    conf = np.array([[0.1,0.9,0.05, 0.1,0.8,0.1, 0.0,0.3,0.7]])
    def p(name, r): print(name, r.shape); print(show(r))
    p("corner", detection_output(loc, conf, priors, keep_top_k=[5][0], nms_threshold=0.5, confidence_threshold=0.2))
    p("keep2", detection_output(loc, conf, priors, keep_top_k=2, nms_threshold=0.5, confidence_threshold=0.2))
    p("nms_off", detection_output(loc, conf, priors, keep_top_k=6, nms_threshold=0.9, confidence_threshold=0.2))
    p("topk1", detection_output(loc, conf, priors, keep_top_k=-1, top_k=1, nms_threshold=0.9, confidence_threshold=0.2))
    p("nobg", detection_output(loc, conf, priors, keep_top_k=-1, top_k=-1, nms_threshold=0.5, confidence_threshold=0.2, background_label_id=-1))
    # center size, variance encoded in target, clip after nms
    priors_enc = np.array(pri).reshape(1,1,12)
    loc_c = np.array([[0.5,-0.5,0.2,0.1, 0.0,0.0,0.0,0.0, 0.3,0.3,0.5,0.5]])
    p("center_enc_clip", detection_output(loc_c, conf, priors_enc, keep_top_k=4, nms_threshold=0.5, confidence_threshold=0.2,
        code_type="caffe.PriorBoxParameter.CENTER_SIZE", variance_encoded_in_target=True, clip_after_nms=True))
    p("center_enc_noclip", detection_output(loc_c, conf, priors_enc, keep_top_k=4, nms_threshold=0.5, confidence_threshold=0.2,
        code_type="caffe.PriorBoxParameter.CENTER_SIZE", variance_encoded_in_target=True))
    p("center_clip_before", detection_output(loc_c, conf, priors_enc, keep_top_k=4, nms_threshold=0.5, confidence_threshold=0.2,
        code_type="caffe.PriorBoxParameter.CENTER_SIZE", variance_encoded_in_target=True, clip_before_nms=True))
    # share_location false: per-class offsets [P, C, 4]
    loc_ns = np.array([[0,0,0,0, 0.1,0.1,0.1,0.1, 0.2,0.2,0.2,0.2,
                        0,0,0,0, -0.1,-0.1,-0.1,-0.1, 0.3,0.0,0.3,0.0,
                        0,0,0,0, 0.5,0.5,0.5,0.5, -0.5,-0.5,-0.5,-0.5]])
    p("noshare", detection_output(loc_ns, conf, priors, keep_top_k=6, nms_threshold=0.5, confidence_threshold=0.2, share_location=False))
    # batch of 2 sharing priors, mxnet style
    conf2 = np.array([[0.1,0.9,0.05, 0.1,0.8,0.1, 0.0,0.3,0.7],[0.5,0.2,0.3, 0.2,0.1,0.7, 0.9,0.05,0.05]])
    loc2 = np.concatenate([loc, loc_c])
    p("batch_mxnet", detection_output(loc2, conf2, priors, keep_top_k=3, nms_threshold=0.5, confidence_threshold=0.2, decrease_label_id=True))
    p("batch_caffe", detection_output(loc2, conf2, priors, keep_top_k=3, nms_threshold=0.5, confidence_threshold=0.2))
    # aux (RefineDet): objectness rejects p1
    aux_conf = np.array([[0.2,0.8, 0.9,0.1, 0.3,0.7]])
    aux_loc = np.array([[0.1,0.1,0.1,0.1, 0,0,0,0, 0,0,0,0]])
    p("aux", detection_output(loc, conf, priors, keep_top_k=4, nms_threshold=0.5, confidence_threshold=0.2, objectness_score=0.5, aux_conf=aux_conf, aux_loc=aux_loc))
    # unnormalized priors: [batch, x0,y0,x1,y1] in pixels of a 100 x 200 (h x w) input
    pu = np.array([0,20,10,60,30, 0,24,12,64,32, 0,120,60,180,90]).reshape(1,1,15)
    p("unnorm", detection_output(loc, conf, pu, keep_top_k=4, nms_threshold=0.5, confidence_threshold=0.2, normalized=False, input_height=100, input_width=200, variance_encoded_in_target=True))
    print("iou01", iou([f(x) for x in pri[0:4]], [f(x) for x in pri[4:8]]))
    p("nobg05", detection_output(loc, conf, priors, keep_top_k=-1, top_k=-1, nms_threshold=0.5, confidence_threshold=0.05, background_label_id=-1))
