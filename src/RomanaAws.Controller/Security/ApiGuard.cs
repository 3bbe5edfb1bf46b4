using System.Collections.Concurrent;
using System.Threading.RateLimiting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;
using RomanaAws.Controller.Configuration;
using RomanaAws.Core.Agents;
using RomanaAws.Core.Configuration;

namespace RomanaAws.Controller.Security;

/// <summary>
/// In front of every endpoint but the probes: who is calling (a bearer token, reviewed), may they make this call
/// (<see cref="ApiAccess"/>), is the body within <see cref="ApiSettings.MaxBodyBytes"/>, and is the (authenticated)
/// caller within its rate of mutating calls. Each refusal answers with its status and an <see cref="AgentApiError"/> saying why, and is
/// logged with who and why (refusals for a rate limit at most once a second per caller, with a count). Thin: the
/// decisions are <see cref="TokenIdentity"/> and <see cref="ApiAccess"/>.
/// </summary>
public sealed partial class ApiGuard : IDisposable
{
    private readonly ApiSettings _settings;
    private readonly ITokenReviewer? _reviewer;
    private readonly Func<string, string?> _instanceOfNode;
    private readonly TimeProvider _time;
    private readonly ILogger<ApiGuard> _logger;
    private readonly PartitionedRateLimiter<string> _limiter;
    private readonly ConcurrentDictionary<string, (DateTimeOffset At, int Since)> _floodLog = new(StringComparer.Ordinal);

    /// <param name="reviewer">Null: no authentication (loopback, api.auth none); every caller is anonymous.</param>
    public ApiGuard(ApiSettings settings, ITokenReviewer? reviewer, Func<string, string?> instanceOfNode, TimeProvider time, ILogger<ApiGuard> logger)
    {
        ArgumentNullException.ThrowIfNull(settings);
        _settings = settings;
        _reviewer = reviewer;
        _instanceOfNode = instanceOfNode;
        _time = time;
        _logger = logger;
        _limiter = PartitionedRateLimiter.Create<string, string>(key => RateLimitPartition.GetTokenBucketLimiter(key, _ => new TokenBucketRateLimiterOptions
        {
            TokenLimit = settings.MutationBurst,
            TokensPerPeriod = settings.MutationsPerSecond,
            ReplenishmentPeriod = TimeSpan.FromSeconds(1),
            QueueLimit = 0,
            AutoReplenishment = true,
        }));
    }

    /// <summary>The caller of the request being served (for handlers that log it); null on open paths.</summary>
    public static ApiCaller? CallerOf(HttpContext context) => context?.Items[typeof(ApiCaller)] as ApiCaller;

    public async Task InvokeAsync(HttpContext context, RequestDelegate next)
    {
        ArgumentNullException.ThrowIfNull(context);
        ArgumentNullException.ThrowIfNull(next);
        var request = context.Request;
        var path = request.Path.Value ?? "/";
        if (ApiAccess.IsOpen(path))
        {
            await next(context);
            return;
        }

        var remote = context.Connection.RemoteIpAddress?.ToString() ?? "unknown";
        var (caller, refusal) = await IdentifyAsync(request, remote, context.RequestAborted);
        refusal ??= ApiAccess.Decide(caller!, request.Method, path);
        var mutating = ApiAccess.IsMutating(request.Method);
        if (refusal is null && request.ContentLength > _settings.MaxBodyBytes)
        {
            refusal = TooLarge($"{request.ContentLength} bytes");
        }

        // Per authenticated caller: without authentication (loopback, a lab) there is no caller to limit, only an address.
        if (refusal is null && mutating && caller!.Kind != CallerKind.Anonymous)
        {
            using var lease = _limiter.AttemptAcquire(caller!.LimitKey);
            if (!lease.IsAcquired)
            {
                context.Response.Headers.RetryAfter = "1";
                refusal = new ApiRefusal(429, $"{caller} is over its rate of {_settings.MutationsPerSecond} mutating calls a second (burst {_settings.MutationBurst}: api.mutationsPerSecond, api.mutationBurst); retry after a second");
            }
        }

        if (refusal is not null)
        {
            await RefuseAsync(context, caller?.ToString() ?? $"unauthenticated {remote}", refusal);
            return;
        }

        context.Items[typeof(ApiCaller)] = caller;
        try
        {
            await next(context);
        }
        catch (BadHttpRequestException ex) when (!context.Response.HasStarted)
        {
            // A chunked body over Kestrel's MaxRequestBodySize (or a malformed request): nothing was changed.
            await RefuseAsync(context, caller!.ToString(), ex.StatusCode == StatusCodes.Status413PayloadTooLarge ? TooLarge("a chunked body") : new ApiRefusal(ex.StatusCode, ex.Message));
        }
    }

    private async Task<(ApiCaller? Caller, ApiRefusal? Refusal)> IdentifyAsync(HttpRequest request, string remote, CancellationToken cancellationToken)
    {
        if (_reviewer is null)
        {
            return (new ApiCaller(CallerKind.Anonymous, remote), null);
        }

        var header = request.Headers.Authorization.ToString();
        if (!header.StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase) || header[7..].Trim() is not { Length: > 0 } token)
        {
            request.HttpContext.Response.Headers.WWWAuthenticate = $"Bearer realm=\"{_settings.Audience}\"";
            return (null, new ApiRefusal(401, $"no bearer token: send Authorization: Bearer TOKEN, a service-account token for audience {_settings.Audience} (the agent's projected token; an operator's `kubectl create token`)"));
        }

        try
        {
            var (caller, refusal) = TokenIdentity.Resolve(await _reviewer.ReviewAsync(token, cancellationToken), _settings, _instanceOfNode);
            if (refusal is { Status: 401 })
            {
                request.HttpContext.Response.Headers.WWWAuthenticate = $"Bearer realm=\"{_settings.Audience}\", error=\"invalid_token\"";
            }

            return (caller, refusal);
        }
        catch (TokenReviewUnavailableException ex)
        {
            request.HttpContext.Response.Headers.RetryAfter = "2";
            return (null, new ApiRefusal(503, $"the token cannot be checked now: {ex.Message}; retry"));
        }
    }

    private ApiRefusal TooLarge(string what) => new(413, $"request body of {what} is over the limit of {_settings.MaxBodyBytes} bytes (api.maxBodyBytes)");

    private async Task RefuseAsync(HttpContext context, string who, ApiRefusal refusal)
    {
        var request = context.Request;
        var path = Echo.Cap(request.Path.Value ?? "/", 100);
        if (refusal.Status != 429)
        {
            LogRefused(_logger, request.Method, path, who, refusal.Status, refusal.Reason);
        }
        else if (FloodLogDue(who) is { } unlogged)
        {
            LogRateLimited(_logger, request.Method, path, who, refusal.Reason, unlogged);
        }

        context.Response.StatusCode = refusal.Status;
        await context.Response.WriteAsJsonAsync(new AgentApiError(refusal.Reason), context.RequestAborted);
    }

    /// <summary>For a rate-limit refusal: null while one was logged for this caller in the last second, else how many went unlogged since.</summary>
    private int? FloodLogDue(string who)
    {
        var now = _time.GetUtcNow();
        (DateTimeOffset At, int Since) last = _floodLog.GetValueOrDefault(who, (DateTimeOffset.MinValue, 0));
        if (now - last.At < TimeSpan.FromSeconds(1))
        {
            _floodLog[who] = (last.At, last.Since + 1);
            return null;
        }

        _floodLog[who] = (now, 0);
        return last.Since;
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "API refused {Method} {Path} from {Caller}: {Status} {Reason}")]
    private static partial void LogRefused(ILogger logger, string method, string path, string caller, int status, string reason);

    [LoggerMessage(Level = LogLevel.Warning, Message = "API refused {Method} {Path} from {Caller}: 429 {Reason} ({Unlogged} more refused since the last of these lines)")]
    private static partial void LogRateLimited(ILogger logger, string method, string path, string caller, string reason, int unlogged);

    public void Dispose() => _limiter.Dispose();
}
