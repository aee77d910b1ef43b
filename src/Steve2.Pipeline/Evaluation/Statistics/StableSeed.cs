using System.Text;

namespace Steve2.Pipeline.Evaluation.Statistics;

/// <summary>
/// A seed derived from names (agent, task, figure): 64-bit FNV-1a over the UTF-8 of the parts joined by
/// a newline. Unlike <see cref="string.GetHashCode()"/> it is the same in every process, so a report
/// of the same episodes always has the same bootstrap intervals.
/// </summary>
public static class StableSeed
{
    public static ulong From(params string[] parts)
    {
        ulong hash = 0xCBF29CE484222325UL;
        foreach (byte b in Encoding.UTF8.GetBytes(string.Join('\n', parts)))
        {
            hash ^= b;
            hash *= 0x100000001B3UL;
        }
        return hash;
    }
}
