using Expert.VqVae.Composition;
using Expert.VqVae.Corpus;

namespace Expert.VqVae.Tests.Composition;

/// <summary>A fixed, deterministic sample of composed buildings from both splits, shared by the tests.</summary>
internal static class CompositionSamples
{
    private static readonly Lazy<IReadOnlyList<ComposedSpec>> Sample = new(() =>
    {
        var rng = new DeterministicRandom(DeterministicRandom.Hash("composition-tests"));
        var list = new List<ComposedSpec>();
        for (int i = 0; i < 100; i++) list.Add(CompositionCatalog.Draw(rng, CorpusSplit.Train));
        foreach (var pair in CompositionSplits.HeldOutPairs)
            for (int i = 0; i < 5; i++) list.Add(CompositionCatalog.Draw(rng, CorpusSplit.Test, pair));
        // Every part at least once with every roof that allows it, on the smallest and the largest plan.
        foreach (int size in new[] { 8, 14 })
            foreach (var roof in Enum.GetValues<ComposedRoof>())
            {
                var all = new HashSet<PartKind>(Enum.GetValues<PartKind>());
                all.Remove(roof == ComposedRoof.Flat ? PartKind.Dome : PartKind.Battlements);
                if (roof != ComposedRoof.Dome) all.Remove(PartKind.Dome);
                all.Remove(size < 10 ? PartKind.Gate : PartKind.Door);
                var spec = new ComposedSpec { Width = size, Depth = size, Storeys = 3, Roof = roof, Parts = all };
                if (roof == ComposedRoof.Dome) spec = spec with { RoofMaterial = Expert.VqVae.Materials.BlockMaterial.Glass };
                Assert.True(spec.IsValid(out var why), why);
                list.Add(spec);
            }
        return list;
    });

    public static IReadOnlyList<ComposedSpec> Specs => Sample.Value;
}
