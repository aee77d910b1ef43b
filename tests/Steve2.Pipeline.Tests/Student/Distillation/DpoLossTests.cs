using Steve2.Pipeline.Student.Data;
using Steve2.Pipeline.Student.Distillation;
using TorchSharp;
using static TorchSharp.torch;

namespace Steve2.Pipeline.Tests.Student.Distillation;

/// <summary>The DPO + MLE loss against hand-computed values, and its two limits (theta = pi_ref; the MLE term is BC's loss).</summary>
[Collection(StudentCollection.Name)]
public sealed class DpoLossTests
{
    private static Tensor T(params double[] x) => tensor(x);

    [Fact]
    public void The_loss_equals_the_hand_computed_value_and_a_weight_scales_exactly_its_pairs_term()
    {
        // pair 1: r_w = 0.5 * (-2 + 2.5) = 0.25, r_l = 0.5 * (-3 + 2.5) = -0.25: -log sigma(0.5), weight 1, MLE 2
        // pair 2: r_w = 0, r_l = 0.5 * (-0.5 + 1) = 0.25: -log sigma(-0.25), weight 2, MLE 1
        double term1 = Math.Log(1 + Math.Exp(-0.5)), term2 = Math.Log(1 + Math.Exp(0.25));
        var (loss, rw, rl, mle) = DpoLoss.Compute(T(-2, -1), T(-3, -0.5), T(-2.5, -1), T(-2.5, -1), T(1, 2), beta: 0.5, lambda: 0.1);
        Assert.Equal((term1 + 0.1 * 2 + 2 * term2 + 0.1 * 1) / 2, loss.item<double>(), 12);
        Assert.Equal([0.25, 0], rw.data<double>().ToArray());
        Assert.Equal([-0.25, 0.25], rl.data<double>().ToArray());
        Assert.Equal([2.0, 1.0], mle.data<double>().ToArray());

        double L(double w1) => DpoLoss.Compute(T(-2, -1), T(-3, -0.5), T(-2.5, -1), T(-2.5, -1), T(w1, 1), 0.5, 0).Loss.item<double>();
        Assert.Equal(3 * term1, (L(4) - L(1)) * 2, 12);   // weight 1 -> 4 adds exactly 3 of pair 1's term (mean over 2 pairs)
        Assert.Equal(term2 / 2, L(0), 12);                // weight 0 removes it
    }

    [Fact]
    public async Task With_theta_equal_to_the_reference_the_loss_is_log_2_and_the_MLE_term_is_BCs_cross_entropy()
    {
        var data = await StudentTestData.SmallSetAsync("unused");
        var model = StudentTestData.TinyModel(data);
        var sequences = new StudentSequences(data.Tokenizer, model.Config);
        var examples = data.Training.Take(4).ToList();
        var rows = examples.Select(e => (sequences.Prompt(e.RoleId, e.Instruction, e.State, e.Memory), sequences.Answer(e.Action), data.Images[e.ImageIndex])).ToList();
        var rejected = examples.Select(e => (sequences.Prompt(e.RoleId, e.Instruction, e.State, e.Memory), sequences.Answer(data.Tokenizer.Encode("wait")), data.Images[e.ImageIndex])).ToList();
        using var noGrad = no_grad();
        Tensor chosen = DpoLoss.SequenceLogProbs(model, rows, CPU), rejectedLp = DpoLoss.SequenceLogProbs(model, rejected, CPU);
        var (loss, _, _, _) = DpoLoss.Compute(chosen, rejectedLp, chosen.clone(), rejectedLp.clone(), ones(4, ScalarType.Float32), beta: 0.1, lambda: 0);
        Assert.Equal(Math.Log(2), loss.item<float>(), 5);

        // The MLE term of one pair is behaviour cloning's mean token cross-entropy times the answer's tokens.
        for (int i = 0; i < examples.Count; i++)
        {
            using var batch = StudentBatches.Make(data, sequences, [examples[i]], CPU);
            var logits = model.Logits(batch.Ids, batch.KeyMask, batch.Images);
            double ce = nn.functional.cross_entropy(logits.view(-1, logits.shape[2]), batch.Targets.view(-1), ignore_index: StudentBatch.Ignore).item<float>();
            double mle = -DpoLoss.SequenceLogProbs(model, [rows[i]], CPU).item<float>();
            Assert.Equal(ce * rows[i].Item2.Length, mle, 3);
        }
    }
}
