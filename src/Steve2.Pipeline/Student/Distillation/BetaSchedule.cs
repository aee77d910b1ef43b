using System.Globalization;

namespace Steve2.Pipeline.Student.Distillation;

/// <summary>
/// DAgger's mixing schedule: in round i (1, 2, ...) each decision of a rollout executes the teacher's label with
/// probability beta_i and the student's own answer otherwise. Round 0 is the teacher's own recording (beta 1).
/// <list type="bullet">
/// <item><c>linear</c>: beta_i = max(0, 1 - i / (rounds + 1)) (rounds 1..N give N/(N+1) ... 1/(N+1): the teacher's share falls evenly);</item>
/// <item><c>exponential</c>: beta_i = p^i (p = <see cref="Decay"/>, 0.5 by default: 0.5, 0.25, 0.125, ...; Ross et al.'s choice);</item>
/// <item><c>constant</c>: beta_i = <see cref="Decay"/> in every round (0: the student always acts, pure DAgger data).</item>
/// </list>
/// </summary>
public sealed record BetaSchedule(string Kind, int Rounds, double Decay = 0.5)
{
    public static IReadOnlyList<string> Kinds { get; } = ["linear", "exponential", "constant"];

    public BetaSchedule Validated()
    {
        if (!Kinds.Contains(Kind)) throw new ArgumentException($"Unknown beta schedule '{Kind}': one of {string.Join(", ", Kinds)}.");
        if (Rounds < 1) throw new ArgumentException("A DAgger run needs at least one round after round 0.");
        if (Decay is < 0 or > 1) throw new ArgumentException("The schedule's decay (or constant beta) must be in 0..1.");
        return this;
    }

    /// <summary>The probability that a decision of round <paramref name="round"/> executes the teacher's label.</summary>
    public double Beta(int round)
    {
        if (round < 0) throw new ArgumentOutOfRangeException(nameof(round), round, "Rounds count from 0.");
        if (round == 0) return 1;
        return Kind switch
        {
            "linear" => Math.Max(0, 1 - round / (double)(Rounds + 1)),
            "exponential" => Math.Pow(Decay, round),
            "constant" => Decay,
            _ => throw new InvalidOperationException($"Unknown beta schedule '{Kind}'."),
        };
    }

    /// <summary>"linear" or "exponential:0.5" or "constant:0".</summary>
    public static BetaSchedule Parse(string text, int rounds)
    {
        string[] parts = text.Split(':', 2);
        double decay = parts.Length == 2 ? double.Parse(parts[1], CultureInfo.InvariantCulture) : parts[0] == "constant" ? 0 : 0.5;
        return new BetaSchedule(parts[0], rounds, decay).Validated();
    }

    public override string ToString() => Kind == "linear" ? Kind : string.Create(CultureInfo.InvariantCulture, $"{Kind}:{Decay}");
}
