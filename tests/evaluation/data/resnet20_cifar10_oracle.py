# Usage: /usr/bin/python3 resnet20_cifar10_oracle.py SEED SUBSET  (prints top-1 / top-5 counts)
# Independent oracle: ResNet-20 (akamaster, option-A shortcut) rebuilt in torch from the ONNX initializers,
# PIL decoding, (x/255 - mean)/std; the sample order reproduces Octet's seeded_permutation (mt19937_64).
import sys, numpy as np, onnx, torch, torch.nn.functional as F
from onnx import numpy_helper
from PIL import Image

class MT64:
    def __init__(self, seed):
        self.mt = [0]*312; self.i = 312; self.mt[0] = seed & 0xFFFFFFFFFFFFFFFF
        for i in range(1, 312):
            self.mt[i] = (6364136223846793005 * (self.mt[i-1] ^ (self.mt[i-1] >> 62)) + i) & 0xFFFFFFFFFFFFFFFF
    def __call__(self):
        if self.i >= 312:
            for k in range(312):
                x = (self.mt[k] & 0xFFFFFFFF80000000) | (self.mt[(k+1) % 312] & 0x7FFFFFFF)
                xa = x >> 1
                if x & 1: xa ^= 0xB5026F5AA96619E9
                self.mt[k] = self.mt[(k+156) % 312] ^ xa
            self.i = 0
        y = self.mt[self.i]; self.i += 1
        y ^= (y >> 29) & 0x5555555555555555
        y ^= (y << 17) & 0x71D67FFFEDA60000
        y ^= (y << 37) & 0xFFF7EEE000000000
        y ^= y >> 43
        return y & 0xFFFFFFFFFFFFFFFF

def permutation(n, seed):
    order = list(range(n)); rng = MT64(seed); M = 2**64 - 1
    for i in range(n, 1, -1):
        limit = M - M % i
        r = rng()
        while r >= limit: r = rng()
        order[i-1], order[r % i] = order[r % i], order[i-1]
    return order

m = onnx.load('/work/shared/models/cifar10/resnet20_cifar10.onnx')
init = {t.name: torch.from_numpy(numpy_helper.to_array(t).copy()) for t in m.graph.initializer}
convs = []
for n in m.graph.node:
    if n.op_type == 'Conv':
        a = {x.name: onnx.helper.get_attribute_value(x) for x in n.attribute}
        convs.append((init[n.input[1]], init[n.input[2]], a['strides'][0], a['pads'][0]))
    if n.op_type == 'Gemm':
        fc = (init[n.input[1]], init[n.input[2]], {x.name: onnx.helper.get_attribute_value(x) for x in n.attribute})
assert len(convs) == 19 and fc[2].get('transB', 0) == 1

def conv(x, i):
    w, b, s, p = convs[i]
    return F.conv2d(x, w, b, stride=s, padding=p)

def forward(x):
    x = F.relu(conv(x, 0)); ci = 1
    for stage in range(3):
        for block in range(3):
            out = F.relu(conv(x, ci)); out = conv(out, ci + 1); ci += 2
            if x.shape != out.shape:
                planes = out.shape[1]
                x = F.pad(x[:, :, ::2, ::2], (0, 0, 0, 0, planes // 4, planes // 4))
            x = F.relu(out + x)
    x = x.mean(dim=(2, 3))
    return x @ fc[0].T + fc[1]

root = '/work/shared/data/cifar10/'
lines = [l.rstrip('\n').split('\t') for l in open(root + 'labels.txt') if l.strip()]
seed, subset = int(sys.argv[1]), int(sys.argv[2])
order = permutation(len(lines), seed) if seed else list(range(len(lines)))
if subset: order = order[:subset]
mean = np.array([0.485, 0.456, 0.406], np.float32); std = np.array([0.229, 0.224, 0.225], np.float32)
correct = correct5 = 0
with torch.no_grad():
    for k in order:
        path, label = lines[k]
        x = np.asarray(Image.open(root + path).convert('RGB'), np.float32)
        v = ((x / 255 - mean) / std).transpose(2, 0, 1)[None]
        logits = forward(torch.from_numpy(np.ascontiguousarray(v)))[0]
        top = torch.argsort(logits, descending=True)[:5].tolist()
        correct += top[0] == int(label); correct5 += int(label) in top
print('first 5 samples:', [lines[k][0] for k in order[:5]])
print(f'top1 {correct}/{len(order)}  top5 {correct5}/{len(order)}')
