using TorchSharp.Modules;
using static TorchSharp.torch;

namespace Steve2.Pipeline.Student.Model;

/// <summary>The MLP projector: the ViT's patch features into the decoder's embedding space (Linear, GELU, Linear).</summary>
public sealed class ModalityProjector : nn.Module<Tensor, Tensor>
{
    private readonly Linear fc1;
    private readonly Linear fc2;

    public ModalityProjector(int inWidth, int hidden, int outWidth) : base(nameof(ModalityProjector))
    {
        fc1 = nn.Linear(inWidth, hidden);
        fc2 = nn.Linear(hidden, outWidth);
        RegisterComponents();
    }

    public override Tensor forward(Tensor features)
    {
        using var scope = NewDisposeScope();
        return fc2.forward(nn.functional.gelu(fc1.forward(features))).MoveToOuterDisposeScope();
    }
}
