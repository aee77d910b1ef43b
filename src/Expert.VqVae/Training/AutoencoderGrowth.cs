using Expert.VqVae.Model;
using static TorchSharp.torch;

namespace Expert.VqVae.Training;

/// <summary>
/// Starts a bigger autoencoder, or a bigger part of one, from a trained one so that it computes exactly what the old one
/// did (TRAINING.md, "Stage decoder" and "Starting from a trained autoencoder"). Each tensor's old values go into the
/// leading slice of the new one; the cross blocks between old and new channels (both ways) are zeroed, so new channels
/// form a parallel branch that reaches the output only through weights that start at zero; each new residual block's
/// last convolution starts at zero, so the block starts as the identity. New input channels (the material channel's
/// one-hot blocks in the encoder's first convolution) start with zero weights, so the encoder reads occupancy alone;
/// new output channels (the decoder's block logits) start with zero weights, so they say nothing until trained. New codes
/// of a bigger codebook start dead (usage 0), so the first training step restarts them from encoder outputs
/// (<see cref="VectorQuantizer"/>); until then their zero vectors are never the nearest.
/// </summary>
public static class AutoencoderGrowth
{
    /// <summary>Grows every tensor of <paramref name="to"/> whose name starts with <paramref name="prefix"/> ("" = all, "decoder." = the decoder).</summary>
    public static void Grow(VqVae3d from, VqVae3d to, string prefix = "")
    {
        var source = from.state_dict().Where(kv => kv.Key.StartsWith(prefix, StringComparison.Ordinal)).ToDictionary();
        var target = to.state_dict().Where(kv => kv.Key.StartsWith(prefix, StringComparison.Ordinal)).ToDictionary();
        using (no_grad())
        using (NewDisposeScope())   // the views below
        {
            foreach (var (name, old) in source)
            {
                if (!target.TryGetValue(name, out var grown) || grown.dim() != old.dim()
                    || Enumerable.Range(0, (int)old.dim()).Any(d => old.shape[d] > grown.shape[d]))
                    throw new InvalidOperationException($"The new model has no '{name}' at least as large: it can only grow from this one.");
                if (old.dim() >= 2)
                {
                    long o0 = old.shape[0], o1 = old.shape[1], n0 = grown.shape[0], n1 = grown.shape[1];
                    if (n1 > o1) grown.narrow(0, 0, o0).narrow(1, o1, n1 - o1).zero_();
                    if (n0 > o0) grown.narrow(0, o0, n0 - o0).narrow(1, 0, o1).zero_();
                }
                var slice = grown;
                for (int d = 0; d < old.dim(); d++) slice = slice.narrow(d, 0, old.shape[d]);
                slice.copy_(old);
            }
            foreach (var (name, tensor) in target)
                if (!source.ContainsKey(name) && name.Contains("._conv1.", StringComparison.Ordinal)) tensor.zero_();
        }
        if (to.Quantizer.Size > from.Quantizer.Size && "quantizer.".StartsWith(prefix, StringComparison.Ordinal))
            to.Quantizer.MarkDeadFrom(from.Quantizer.Size);
    }
}
