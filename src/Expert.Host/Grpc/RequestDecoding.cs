using System.Reflection;
using Expert.Host.Telemetry;
using Google.Protobuf;
using Grpc.AspNetCore.Server.Model;
using Grpc.Core;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace Expert.Host.Grpc;

/// <summary>
/// A request that cannot be decoded (invalid UTF-8 in a string, a message cut short, a bad varint or tag) is the
/// client's fault: INVALID_ARGUMENT with a plain message, a warning in the log, no stack trace. Grpc.AspNetCore
/// decodes a unary or server-streaming request before any interceptor runs and answers a decoder exception with
/// UNKNOWN and an error-level log line, so the fix sits in the one place every request passes: the request
/// marshaller. <see cref="DecodingServiceMethodProvider{TService}"/> binds every gRPC service of the host exactly as
/// Grpc.AspNetCore's own binder does (the generated <c>BindService</c>, the overriding methods, their attributes),
/// with each method's request deserializer wrapped to throw that INVALID_ARGUMENT. Client-streaming reads go through
/// the same deserializer, so <c>Observe</c> answers the same way.
/// </summary>
internal static class RequestDecoding
{
    /// <summary>
    /// Replaces Grpc.AspNetCore's binder with <see cref="DecodingServiceMethodProvider{TService}"/>. Every
    /// <c>AddGrpc</c> call registers that binder again, so this goes after all of them (last in
    /// <see cref="Hosting.ExpertHostApp"/>); the decoding tests fail if it does not.
    /// </summary>
    public static IServiceCollection AddRequestDecoding(this IServiceCollection services)
    {
        for (int i = services.Count - 1; i >= 0; i--)
        {
            if (services[i].ServiceType == typeof(IServiceMethodProvider<>)
                && services[i].ImplementationType is { Name: "BinderServiceMethodProvider`1", Namespace: "Grpc.AspNetCore.Server.Model.Internal" })
                services.RemoveAt(i);
        }
        services.TryAddEnumerable(ServiceDescriptor.Singleton(typeof(IServiceMethodProvider<>), typeof(DecodingServiceMethodProvider<>)));
        return services;
    }

    /// <summary>What the client is told: the decoder's reason (it never echoes the bytes).</summary>
    public static string Describe(InvalidProtocolBufferException e) =>
        ClientStatus.Clip($"The request message could not be decoded as protobuf ({e.Message.TrimEnd('.')}); check the client's encoding of the message.", ClientStatus.MaxMessageChars);

    /// <summary>
    /// <paramref name="method"/> with its request deserializer answering undecodable bytes with INVALID_ARGUMENT.
    /// A unary or server-streaming request is decoded before the interceptors run, so such a call is counted and
    /// logged here (<c>expert.requests</c>, "answered InvalidArgument"); a streamed request is read inside the
    /// handler, where <see cref="CallTelemetryInterceptor"/> counts it.
    /// </summary>
    public static Method<TRequest, TResponse> Guard<TRequest, TResponse>(Method<TRequest, TResponse> method, ILogger logger, ExpertMetrics? metrics)
        where TRequest : class where TResponse : class
    {
        bool beforeInterceptors = method.Type is MethodType.Unary or MethodType.ServerStreaming;
        Marshaller<TRequest> inner = method.RequestMarshaller;
        Marshaller<TRequest> guarded = Marshallers.Create<TRequest>(inner.ContextualSerializer, context =>
        {
            try
            {
                return inner.ContextualDeserializer(context);
            }
            catch (InvalidProtocolBufferException e)
            {
                logger.RequestUndecodable(method.Name, e.Message);
                if (beforeInterceptors && metrics is not null)
                {
                    string code = nameof(StatusCode.InvalidArgument);
                    metrics.CallCompleted(method.Name, code, 0);
                    logger.CallCompleted(method.Name, code, 0);
                }
                throw ClientStatus.Plain(StatusCode.InvalidArgument, Describe(e));
            }
        });
        return new Method<TRequest, TResponse>(method.Type, method.ServiceName, method.Name, guarded, method.ResponseMarshaller);
    }
}

/// <summary>Binds <typeparamref name="TService"/>'s methods with guarded request decoding (see <see cref="RequestDecoding"/>).</summary>
internal sealed class DecodingServiceMethodProvider<TService>(ILogger<DecodingServiceMethodProvider<TService>> logger, IServiceProvider services)
    : IServiceMethodProvider<TService> where TService : class
{
    public void OnServiceMethodDiscovery(ServiceMethodProviderContext<TService> context)
    {
        MethodInfo? bind = FindBindMethod(typeof(TService));
        if (bind is null) return; // not a generated service: nothing to bind (as Grpc.AspNetCore's binder)
        var binder = new Binder(context, bind.GetParameters()[1].ParameterType, logger, services.GetService<ExpertMetrics>());
        try
        {
            bind.Invoke(null, [binder, null]);
        }
        catch (TargetInvocationException e)
        {
            throw new InvalidOperationException($"Error binding gRPC service '{typeof(TService).Name}'.", e.InnerException ?? e);
        }
    }

    private static MethodInfo? FindBindMethod(Type service)
    {
        for (Type? type = service; type is not null; type = type.BaseType)
        {
            if (type.GetCustomAttribute<BindServiceMethodAttribute>(inherit: false) is not { } attribute) continue;
            return attribute.BindType
                .GetMethods(BindingFlags.Public | BindingFlags.NonPublic | BindingFlags.Static)
                .FirstOrDefault(m => m.Name == attribute.BindMethodName && m.GetParameters() is [{ } first, _]
                    && first.ParameterType == typeof(ServiceBinderBase));
        }
        return null;
    }

    private sealed class Binder(ServiceMethodProviderContext<TService> context, Type declaringType, ILogger logger, ExpertMetrics? metrics) : ServiceBinderBase
    {
        public override void AddMethod<TRequest, TResponse>(Method<TRequest, TResponse> method, UnaryServerMethod<TRequest, TResponse>? handler)
        {
            var (invoker, metadata) = Model<UnaryServerMethod<TService, TRequest, TResponse>>(method.Name, typeof(TRequest), typeof(ServerCallContext));
            context.AddUnaryMethod(RequestDecoding.Guard(method, logger, metrics), metadata, invoker);
        }

        public override void AddMethod<TRequest, TResponse>(Method<TRequest, TResponse> method, ServerStreamingServerMethod<TRequest, TResponse>? handler)
        {
            var (invoker, metadata) = Model<ServerStreamingServerMethod<TService, TRequest, TResponse>>(
                method.Name, typeof(TRequest), typeof(IServerStreamWriter<TResponse>), typeof(ServerCallContext));
            context.AddServerStreamingMethod(RequestDecoding.Guard(method, logger, metrics), metadata, invoker);
        }

        public override void AddMethod<TRequest, TResponse>(Method<TRequest, TResponse> method, ClientStreamingServerMethod<TRequest, TResponse>? handler)
        {
            var (invoker, metadata) = Model<ClientStreamingServerMethod<TService, TRequest, TResponse>>(
                method.Name, typeof(IAsyncStreamReader<TRequest>), typeof(ServerCallContext));
            context.AddClientStreamingMethod(RequestDecoding.Guard(method, logger, metrics), metadata, invoker);
        }

        public override void AddMethod<TRequest, TResponse>(Method<TRequest, TResponse> method, DuplexStreamingServerMethod<TRequest, TResponse>? handler)
        {
            var (invoker, metadata) = Model<DuplexStreamingServerMethod<TService, TRequest, TResponse>>(
                method.Name, typeof(IAsyncStreamReader<TRequest>), typeof(IServerStreamWriter<TResponse>), typeof(ServerCallContext));
            context.AddDuplexStreamingMethod(RequestDecoding.Guard(method, logger, metrics), metadata, invoker);
        }

        /// <summary>The service's override of the base method, as an open-instance delegate, and its endpoint metadata.</summary>
        private (TDelegate Invoker, List<object> Metadata) Model<TDelegate>(string name, params Type[] parameters) where TDelegate : Delegate
        {
            MethodInfo handler = FindOverride(name, parameters)
                ?? throw new InvalidOperationException($"Could not find '{name}' on {typeof(TService)}.");
            var metadata = new List<object>();
            metadata.AddRange(typeof(TService).GetCustomAttributes(inherit: true)); // type first: lower priority
            metadata.AddRange(handler.GetCustomAttributes(inherit: true));
            metadata.Add(new HttpMethodMetadata(["POST"], acceptCorsPreflight: true));
            return ((TDelegate)Delegate.CreateDelegate(typeof(TDelegate), handler), metadata);
        }

        private MethodInfo? FindOverride(string name, Type[] parameters)
        {
            for (Type? type = typeof(TService); type is not null; type = type.BaseType)
            {
                MethodInfo? method = type.GetMethod(name, BindingFlags.Public | BindingFlags.Instance, null, parameters, null);
                if (method is null) return null;
                if (method.IsVirtual && method.GetBaseDefinition().DeclaringType == declaringType) return method;
            }
            return null;
        }
    }
}
