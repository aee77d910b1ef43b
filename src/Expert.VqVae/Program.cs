using Expert.VqVae.Runtime;
using TorchSharp;
TorchRuntime.Initialize();
var x = torch.randn(2, 3);
Console.WriteLine(x.sum().item<float>());
Console.WriteLine(torch.cuda.is_available());
