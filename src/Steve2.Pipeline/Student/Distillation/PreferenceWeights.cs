namespace Steve2.Pipeline.Student.Distillation;

/// <summary>
/// The per-sample weights of the DPO term (DISTILLATION.md, "Weights"), computed per pair at training time from the data
/// and the reference's log-probabilities:
/// <code>
/// raw_i = v(verdict_i) * (0.5 + 0.5 * d_i) * c_i
///   v:   unparseable 1, infeasible 1, off-plan, explored and seen-way 0.75, differs 0.5   (how sure the critic is that y_l is worse)
///   d_i: the normalised edit distance between chosen and rejected (0..1)           (a near-miss teaches less than a wrong answer)
///   c_i: clamp(2 * sigmoid(-m_i), 0.1, 2), m_i = ref_w / |y_w| - ref_l / |y_l|     (the reference's per-token margin: pairs it
///        already ranks right weigh less, pairs it ranks wrong more; this keeps solved pairs from being pushed further, the
///        degeneration the paper's dynamic weights guard against)
/// w_i = N * raw_i / sum_j raw_j   (mean 1 over the N pairs, so beta and lambda keep their meaning)
/// </code>
/// <c>uniform</c> gives every pair weight 1 (the ablation's switch).
/// </summary>
public static class PreferenceWeights
{
    public static double VerdictFactor(string verdict) => verdict switch
    {
        DaggerJudge.Unparseable or DaggerJudge.Infeasible => 1.0,
        DaggerJudge.OffPlan or DaggerJudge.Explored or DaggerJudge.SeenWay => 0.75,
        _ => 0.5,
    };

    /// <summary>The un-normalised weight of one pair.</summary>
    public static double Raw(string verdict, double distance, double refChosen, int chosenTokens, double refRejected, int rejectedTokens)
    {
        double margin = refChosen / Math.Max(1, chosenTokens) - refRejected / Math.Max(1, rejectedTokens);
        double confidence = Math.Clamp(2 / (1 + Math.Exp(margin)), 0.1, 2);
        return VerdictFactor(verdict) * (0.5 + 0.5 * Math.Clamp(distance, 0, 1)) * confidence;
    }

    /// <summary>The weights of all pairs (mean 1), or all 1 when <paramref name="uniform"/>.</summary>
    public static double[] Compute(IReadOnlyList<double> raw, bool uniform)
    {
        if (uniform || raw.Count == 0) return Enumerable.Repeat(1.0, raw.Count).ToArray();
        double sum = raw.Sum();
        return raw.Select(r => r * raw.Count / sum).ToArray();
    }
}
