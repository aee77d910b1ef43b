namespace Expert.Host.Model;

internal static class ModelRegistration
{
    /// <summary>The served model: the checkpoint factory and the holder that loads it at start.</summary>
    public static IServiceCollection AddOccupancyModel(this IServiceCollection services)
    {
        services.AddSingleton<IGeneratorFactory, CheckpointGeneratorFactory>();
        services.AddSingleton<ModelHolder>();
        services.AddHostedService(sp => sp.GetRequiredService<ModelHolder>());
        return services;
    }
}
