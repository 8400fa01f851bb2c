"""The PyTorch twin of SequenceDNN (../shared/peers/torch_seqdnn.py), timed warm on the bench's
own split: trains on TRAIN, evaluates the held-out VALID auROC after every epoch (as dragonn-train
does), and reports the median epoch's training rate, the wall time (training + per-epoch
evaluation) until the held-out auROC first reaches TARGET, and a warm prediction rate.
Warm: one untimed training step and prediction on a throwaway model first (PyTorch's first
calls allocate and pick kernels). Usage: twin.py PEERS_DIR TRAIN.fa VALID.fa ARCH EPOCHS [TARGET]
Prints one JSON line."""
import json, sys, time
sys.path.insert(0, sys.argv[1])
import numpy as np, torch, torch.nn as nn
from sklearn.metrics import roc_auc_score
from torch_seqdnn import SequenceDNN, read_fasta, one_hot

ARCHS = {'one_filter': dict(filters=(1,), widths=(10,)), 'multi_filter': dict(filters=(15,), widths=(10,)),
         'multi_layer': dict(filters=(15, 15, 15), widths=(10, 10, 10)),
         'regularized': dict(filters=(15, 15, 15), widths=(10, 10, 10), dropout=0.2)}

def load(path):
    _, seqs, y = read_fasta(path)
    return torch.from_numpy(one_hot(seqs)), torch.from_numpy(y)[:, None]

def step(model, opt, X, y, w):
    logits = model(X)
    loss = nn.functional.binary_cross_entropy_with_logits(logits, y, weight=w[y.long()])
    opt.zero_grad(); loss.backward(); opt.step()

def predict(model, X):
    model.eval()
    with torch.no_grad():
        p = torch.sigmoid(model(X)).numpy()[:, 0]
    model.train()
    return p

if __name__ == '__main__':
    torch.set_num_threads(2)
    torch.manual_seed(0)
    _, train_path, valid_path, arch, epochs = sys.argv[1:6]
    epochs, target = int(epochs), float(sys.argv[6]) if len(sys.argv) > 6 else 0.97
    Xt, yt = load(train_path); Xv, yv = load(valid_path)
    pos = float(yt.mean()); w = torch.tensor([1 / (1 - pos), 1 / pos], dtype=torch.float32)
    L = Xt.shape[2]
    # Warm-up on a throwaway model.
    scratch = SequenceDNN(L, **ARCHS[arch]); scratch_opt = torch.optim.Adam(scratch.parameters(), lr=1e-3)
    step(scratch, scratch_opt, Xt[:128], yt[:128], w); predict(scratch, Xv[:128])
    model = SequenceDNN(L, **ARCHS[arch]); opt = torch.optim.Adam(model.parameters(), lr=1e-3)
    model.train()
    train_s, elapsed, aurocs, reached = [], 0.0, [], None
    for epoch in range(1, epochs + 1):
        t0 = time.time(); perm = torch.randperm(len(Xt))
        for i in range(0, len(Xt), 128):
            b = perm[i:i + 128]; step(model, opt, Xt[b], yt[b], w)
        t1 = time.time()
        auc = roc_auc_score(yv.numpy()[:, 0], predict(model, Xv))
        t2 = time.time()
        train_s.append(t1 - t0); elapsed += t2 - t0; aurocs.append(auc)
        if reached is None and auc >= target:
            reached = dict(epoch=epoch, seconds=elapsed)
    t = time.time(); predict(model, Xv); tp = time.time() - t
    torch.save(model.state_dict(), '%s.pt' % arch)   # torch_attrib.py loads it from the working folder
    print(json.dumps(dict(arch=arch, n_train=len(Xt), epoch_s=train_s, valid_auroc=aurocs,
                          train_seq_per_s=len(Xt) / float(np.median(train_s)), predict_seq_per_s=len(Xv) / tp,
                          target=target, time_to_target_s=reached and reached['seconds'],
                          epochs_to_target=reached and reached['epoch'])))
