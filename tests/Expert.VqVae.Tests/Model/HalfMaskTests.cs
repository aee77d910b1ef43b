using Expert.VqVae.Model;
using Expert.VqVae.MlCore.Runtime;
using Expert.VqVae.Training;
using static TorchSharp.torch;

namespace Expert.VqVae.Tests.Model;

/// <summary>Half masks in the prior's training (<see cref="TrainOptions.PriorHalfMaskFraction"/>): one x-half given whole.</summary>
[Collection(TorchCollection.Name)]
public class HalfMaskTests
{
    public HalfMaskTests() => TorchRuntime.Initialize();

    [Fact]
    public void The_right_half_is_the_cells_at_x_from_half_the_grid_in_the_prior_s_group_order()
    {
        using var prior = new TextConditionedPrior(TinyModels.Prior(10));
        var c = prior.Config;
        var right = ImaginationTrainer.RightHalf(prior);
        Assert.Equal(c.Codes, right.Length);
        Assert.Equal(c.Codes / 2, right.Count(r => r));
        using var scope = NewDisposeScope();
        // A grid of x coordinates, grouped as the trainer groups its targets.
        var x = arange(c.CodeGridSize, dtype: ScalarType.Int64).view(1, 1, 1, -1).expand(1, c.CodeGridSize, c.CodeGridSize, c.CodeGridSize).contiguous();
        var grouped = prior.Group(x).reshape(-1).data<long>().ToArray();
        for (int i = 0; i < grouped.Length; i++) Assert.Equal(grouped[i] >= c.CodeGridSize / 2, right[i]);
    }

    [Fact]
    public void A_half_mask_leaves_one_half_whole_and_no_half_masks_draw_what_was_always_drawn()
    {
        using var prior = new TextConditionedPrior(TinyModels.Prior(10));
        var c = prior.Config;
        long[] shape = [200, c.Groups, c.CodesPerGroup];
        var right = ImaginationTrainer.RightHalf(prior);
        var all = ImaginationTrainer.DrawPriorBatch(new Random(3), 50, shape, 0.1, 0.5, new ImaginationTrainer.HalfMask(right, 1.0));
        int leftGiven = 0, rightGiven = 0;
        for (int b = 0; b < shape[0]; b++)
        {
            var m = all.Mask.Skip(b * c.Codes).Take(c.Codes).ToArray();
            bool leftMasked = m.Where((v, i) => !right[i]).Any(v => v), rightMasked = m.Where((v, i) => right[i]).Any(v => v);
            Assert.True(leftMasked != rightMasked, $"sample {b}: exactly one half has masked codes");
            if (rightMasked) leftGiven++; else rightGiven++;
        }
        Assert.True(leftGiven > 50 && rightGiven > 50, $"either half is given ({leftGiven} / {rightGiven})");

        var none = ImaginationTrainer.DrawPriorBatch(new Random(4), 50, shape, 0.1, 0.5, new ImaginationTrainer.HalfMask(right, 0.0));
        var before = ImaginationTrainer.DrawPriorBatch(new Random(4), 50, shape, 0.1, 0.5);
        Assert.Equal(before.Picks, none.Picks);
        Assert.Equal(before.TextDropped, none.TextDropped);
        Assert.Equal(before.Mask, none.Mask);
        Assert.Throws<ArgumentException>(() => new TrainOptions { PriorHalfMaskFraction = 1.5 }.Validate());
    }
}
