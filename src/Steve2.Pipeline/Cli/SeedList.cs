using System.Globalization;

namespace Steve2.Pipeline.Cli;

/// <summary>Seeds on the command line: a range <c>0-4</c>, a list <c>0,3,7</c>, or both <c>0-4,10,12-13</c>.</summary>
internal static class SeedList
{
    /// <summary>The most seeds one command may name.</summary>
    public const int MaxSeeds = 100_000;

    public static IReadOnlyList<int> Parse(string text)
    {
        var seeds = new List<int>();
        foreach (string part in text.Split(',', StringSplitOptions.TrimEntries))
        {
            int dash = part.Length > 1 ? part.IndexOf('-', 1) : -1;
            if (dash < 0)
            {
                seeds.Add(Number(part, text));
                continue;
            }
            int first = Number(part[..dash], text), last = Number(part[(dash + 1)..], text);
            if (last < first) throw new ArgumentException($"--seeds '{text}': the range {part} runs backwards; write it as {last}-{first}.");
            if ((long)last - first + seeds.Count >= MaxSeeds) throw new ArgumentException($"--seeds '{text}' names more than {MaxSeeds} seeds.");
            for (int s = first; s <= last; s++) seeds.Add(s);
        }
        if (seeds.Count > MaxSeeds) throw new ArgumentException($"--seeds '{text}' names more than {MaxSeeds} seeds.");
        return seeds.Distinct().ToList();
    }

    private static int Number(string s, string text) =>
        int.TryParse(s, NumberStyles.None, CultureInfo.InvariantCulture, out int n)
            ? n
            : throw new ArgumentException($"--seeds '{text}': '{s}' is not a seed. Write seeds as 0-4, 0,3,7 or 1000000-1000099 (non-negative integers).");
}
