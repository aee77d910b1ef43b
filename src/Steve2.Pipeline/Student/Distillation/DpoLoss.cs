using Steve2.Pipeline.Student.Data;
using Steve2.Pipeline.Student.Model;
using static TorchSharp.torch;

namespace Steve2.Pipeline.Student.Distillation;

/// <summary>
/// The distillation's loss (DISTILLATION.md), per pair i with sequence log-probabilities summed over the answer's tokens
/// (eos included):
/// <code>
/// r_w = beta * (log pi(y_w|x) - log pi_ref(y_w|x)),  r_l = beta * (log pi(y_l|x) - log pi_ref(y_l|x))
/// L_i = -w_i * log sigmoid(r_w - r_l) + lambda * (-log pi(y_w|x))
/// L   = mean_i L_i
/// </code>
/// With pi = pi_ref and lambda = 0 every pair's term is log 2; the MLE term alone is behaviour cloning's cross-entropy on
/// the chosen answer, summed over its tokens instead of averaged (both tested).
/// </summary>
public static class DpoLoss
{
    /// <summary>The loss and its parts (each [B] but the loss): the implicit rewards r_w, r_l and the MLE term.</summary>
    public static (Tensor Loss, Tensor RewardChosen, Tensor RewardRejected, Tensor Mle) Compute(Tensor policyChosen, Tensor policyRejected,
        Tensor refChosen, Tensor refRejected, Tensor weights, double beta, double lambda)
    {
        Tensor rw = (policyChosen - refChosen) * beta;
        Tensor rl = (policyRejected - refRejected) * beta;
        Tensor dpo = -nn.functional.logsigmoid(rw - rl) * weights;
        Tensor mle = -policyChosen;
        Tensor loss = (dpo + mle * lambda).mean();
        return (loss, rw, rl, mle);
    }

    /// <summary>
    /// log pi(answer | prompt, image) of each row, summed over the answer's tokens (eos included): a right-padded,
    /// teacher-forced batch through <see cref="StudentModel.Logits"/>, as behaviour cloning reads it.
    /// </summary>
    public static Tensor SequenceLogProbs(StudentModel model, IReadOnlyList<(int[] Prompt, int[] Answer, byte[] Image)> rows, Device device)
    {
        int b = rows.Count, width = rows.Max(r => r.Prompt.Length + r.Answer.Length);
        var ids = new long[b * width];
        var real = new bool[b * width];
        var targets = new long[b * width];
        var scored = new bool[b * width];
        var rowOf = new List<long>();
        for (int i = 0; i < b; i++)
        {
            int[] seq = [.. rows[i].Prompt, .. rows[i].Answer];
            for (int j = 0; j < seq.Length; j++)
            {
                ids[i * width + j] = seq[j];
                real[i * width + j] = true;
                if (j >= rows[i].Prompt.Length)
                {
                    targets[i * width + j - 1] = seq[j];
                    scored[i * width + j - 1] = true;
                    rowOf.Add(i);
                }
            }
        }
        int size = model.Config.Vision.ImageSize;
        // Only the answer's positions are scored: the heads (vocabulary, copy) run on those alone, as in behaviour cloning.
        Tensor at = tensor(scored, [b, width]).to(device);
        Tensor logits = model.Logits(tensor(ids, [b, width]).to(device), tensor(real, [b, width]).to(device),
            StudentBatches.Images(rows.Select(r => r.Image).ToList(), size, device), at: at);                // [N, V], row-major
        Tensor logp = nn.functional.log_softmax(logits, 1).gather(1, tensor(targets, [b, width]).to(device)[at].unsqueeze(1)).squeeze(1);
        using TorchSharp.Scalar one = TorchSharp.ScalarExtensionMethods.ToScalar(1.0f);
        return zeros(b, logp.dtype, device).index_add(0, tensor(rowOf.ToArray()).to(device), logp, one);
    }
}
