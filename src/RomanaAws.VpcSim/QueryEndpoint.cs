using System.Collections.Concurrent;
using System.Net;
using System.Xml.Linq;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;
using RomanaAws.VpcSim.CloudWatch;
using RomanaAws.VpcSim.Ec2;
using RomanaAws.VpcSim.Ec2.Actions;
using RomanaAws.VpcSim.Faults;
using RomanaAws.VpcSim.Throttling;
using RomanaAws.VpcSim.World;

namespace RomanaAws.VpcSim;

/// <summary>
/// The AWS Query-protocol front door: form-encoded POST (or GET) with <c>Action</c> and <c>Version</c>. Version
/// 2016-11-15 is EC2, 2010-08-01 is CloudWatch. Order of checks, as AWS: signature present, action known,
/// authorization, throttling, then the action itself (under the world's lock).
/// </summary>
internal sealed partial class QueryEndpoint(
    SimWorld world, ApiThrottle throttle, MetricStore metrics, SimulatorState state, Scenario.CredentialsSpec? credentials, ILogger<QueryEndpoint> logger)
{
    public ConcurrentDictionary<string, long> Calls { get; } = new(StringComparer.Ordinal);

    /// <summary>Every mutating EC2 call with its caller, in arrival order.</summary>
    public Audit.WriteLog Writes { get; } = new();

    /// <summary>Runs after a request's action, before its answer is written (the health endpoints follow instance changes).</summary>
    public Func<Task> AfterRequest { get; set; } = () => Task.CompletedTask;

    public async Task HandleAsync(HttpContext context)
    {
        var requestId = Guid.NewGuid().ToString();
        var isCloudWatch = false;
        var action = string.Empty;
        var parsed = false;
        try
        {
            var (parameters, body) = await QueryForm.ReadAsync(context.Request, context.RequestAborted);
            parsed = true;
            var request = new QueryRequest(parameters, requestId);
            var version = request.Get("Version");
            isCloudWatch = version == CloudWatchXml.ApiVersion;
            action = InputEcho.Of(request.Action);
            var response = await HandleAsync(context, request, version, body);
            await AfterRequest();
            await WriteAsync(context, HttpStatusCode.OK, response);
        }
        catch (Ec2Exception ex)
        {
            Log(parsed, ex.Status, ex.Code, action, ex.Message);
            var error = isCloudWatch ? CloudWatchXml.Error(ex.Code, ex.Message, requestId, ex.Status) : Ec2Xml.Error(ex.Code, ex.Message, requestId);
            await WriteAsync(context, ex.Status, error);
        }
        catch (BadHttpRequestException ex)
        {
            // Kestrel's own limits and framing errors (body over MaxBodyBytes, a broken chunked body): an XML answer, not an empty one.
            var (status, code, message) = ex.StatusCode == StatusCodes.Status413PayloadTooLarge
                ? (HttpStatusCode.RequestEntityTooLarge, "RequestEntityTooLarge", $"The request body is larger than the simulator's limit of {QueryForm.MaxBodyBytes} bytes.")
                : (HttpStatusCode.BadRequest, "MalformedQueryString", $"The request could not be read: {InputEcho.Of(ex.Message)}");
            Log(parsed: false, status, code, action, message);
            await WriteAsync(context, status, Ec2Xml.Error(code, message, requestId));
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            // A defect of the simulator, not of the request: logged with its trace, answered as AWS answers its own failures.
            LogFailed(ex, action, requestId);
            var error = isCloudWatch
                ? CloudWatchXml.Error("InternalFailure", "The request processing has failed because of an unknown error.", requestId, HttpStatusCode.InternalServerError)
                : Ec2Xml.Error("InternalError", "An internal error has occurred", requestId);
            await WriteAsync(context, HttpStatusCode.InternalServerError, error);
        }
    }

    private async Task<XElement> HandleAsync(HttpContext context, QueryRequest request, string? version, byte[] body)
    {
        var isCloudWatch = version == CloudWatchXml.ApiVersion;
        if (version is null)
        {
            throw new Ec2Exception("MissingParameter", "The request must contain the parameter Version");
        }

        if (version != Ec2Xml.ApiVersion && !isCloudWatch)
        {
            throw new Ec2Exception("InvalidParameterValue", $"Unsupported Version '{InputEcho.Of(version)}': the simulator speaks EC2 {Ec2Xml.ApiVersion} and CloudWatch {CloudWatchXml.ApiVersion}");
        }

        if (!context.Request.Headers.Authorization.ToString().StartsWith("AWS4-HMAC-SHA256 ", StringComparison.Ordinal)
            && !request.Parameters.ContainsKey("X-Amz-Signature"))
        {
            throw isCloudWatch
                ? new Ec2Exception("MissingAuthenticationToken", "Request is missing Authentication Token", HttpStatusCode.Forbidden)
                : new Ec2Exception("AuthFailure", "AWS was not able to validate the provided access credentials", HttpStatusCode.Unauthorized);
        }

        if (credentials is { AccessKeyId: { } key, SecretAccessKey: { } secret }
            && Auth.SigV4Verifier.Verify(context.Request, body, key, secret) is { } problem)
        {
            throw isCloudWatch
                ? new Ec2Exception("SignatureDoesNotMatch", problem, HttpStatusCode.Forbidden)
                : new Ec2Exception("AuthFailure", problem, HttpStatusCode.Unauthorized);
        }

        if (request.Action.Length == 0)
        {
            throw new Ec2Exception("MissingAction", "The request must contain the parameter Action");
        }

        // Only known actions are counted: a client inventing names must not grow the counters without bound.
        var known = isCloudWatch ? CloudWatchActions.ByName.ContainsKey(request.Action) : Ec2Actions.ByName.ContainsKey(request.Action);
        Calls.AddOrUpdate(known ? request.Action : "(unknown action)", 1, (_, n) => n + 1);
        if (known && !isCloudWatch)
        {
            Writes.Record(context.Request, request, world.Now);
        }

        return isCloudWatch
            ? await HandleCloudWatchAsync(request, context.RequestAborted)
            : await HandleEc2Async(request, context.RequestAborted);
    }

    /// <summary>A request that could not be read is logged as a warning; an EC2 error answer to a readable one at debug level.</summary>
    private void Log(bool parsed, HttpStatusCode status, string code, string action, string message)
    {
        if (parsed)
        {
            LogRejected((int)status, code, action, message);
        }
        else
        {
            LogMalformed((int)status, code, message);
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Malformed request: HTTP {Status} {Code}: {Error}")]
    private partial void LogMalformed(int status, string code, string error);

    [LoggerMessage(Level = LogLevel.Debug, Message = "{Action}: HTTP {Status} {Code}: {Error}")]
    private partial void LogRejected(int status, string code, string action, string error);

    [LoggerMessage(Level = LogLevel.Error, Message = "{Action} (request {RequestId}) failed inside the simulator")]
    private partial void LogFailed(Exception exception, string action, string requestId);

    private async Task<XElement> HandleEc2Async(QueryRequest request, CancellationToken cancellationToken)
    {
        if (!Ec2Actions.ByName.TryGetValue(request.Action, out var action))
        {
            throw new Ec2Exception("InvalidAction", $"The action {InputEcho.Of(request.Action)} is not valid for this web service.");
        }

        await ApplyFaultsAsync(request.Action, cancellationToken);
        var category = InstanceActions.IsUnfiltered(request) ? ApiCategory.UnfilteredDescribeInstances : action.Category;
        if (!throttle.TryAcquire(category))
        {
            throw new Ec2Exception("RequestLimitExceeded", "Request limit exceeded.", HttpStatusCode.ServiceUnavailable);
        }

        lock (world.Sync)
        {
            var response = Ec2Xml.Response(request.Action, request.RequestId, action.Handle(request, world));
            if (!request.Action.StartsWith("Describe", StringComparison.Ordinal))
            {
                world.Written();
            }

            return response;
        }
    }

    private async Task<XElement> HandleCloudWatchAsync(QueryRequest request, CancellationToken cancellationToken)
    {
        if (!CloudWatchActions.ByName.TryGetValue(request.Action, out var action))
        {
            throw new Ec2Exception("InvalidAction", $"Could not find operation {InputEcho.Of(request.Action)} for version {CloudWatchXml.ApiVersion}");
        }

        await ApplyFaultsAsync(request.Action, cancellationToken);
        lock (world.Sync)
        {
            return CloudWatchXml.Response(request.Action, request.RequestId, action(request, metrics, world.Now));
        }
    }

    /// <summary>Injected faults, in AWS's order: latency, then authorization, then errors.</summary>
    private async Task ApplyFaultsAsync(string action, CancellationToken cancellationToken)
    {
        var faults = state.Faults;
        var delay = faults.Latency + (faults.Jitter * state.NextDouble());
        if (delay > TimeSpan.Zero)
        {
            await Task.Delay(delay, world.Time, cancellationToken);
        }

        if (faults.UnauthorizedActions.Contains(action))
        {
            throw new Ec2Exception("UnauthorizedOperation", "You are not authorized to perform this operation.", HttpStatusCode.Forbidden);
        }

        if (faults.FailActions.TryGetValue(action, out var code))
        {
            throw FaultError(code);
        }

        if (faults.ServerErrorRate > 0 && state.NextDouble() < faults.ServerErrorRate)
        {
            throw state.NextDouble() < 0.5 ? FaultError("InternalError") : FaultError("Unavailable");
        }

        if (faults.ThrottleRate > 0 && state.NextDouble() < faults.ThrottleRate)
        {
            throw FaultError("RequestLimitExceeded");
        }
    }

    private static Ec2Exception FaultError(string code) => code switch
    {
        "InternalError" => new(code, "An internal error has occurred", HttpStatusCode.InternalServerError),
        "Unavailable" => new(code, "The service is unavailable. Please try again shortly.", HttpStatusCode.ServiceUnavailable),
        "RequestLimitExceeded" => new(code, "Request limit exceeded.", HttpStatusCode.ServiceUnavailable),
        "UnauthorizedOperation" => new(code, "You are not authorized to perform this operation.", HttpStatusCode.Forbidden),
        _ => new(code, $"Injected failure {InputEcho.Of(code)}"),
    };

    private static async Task WriteAsync(HttpContext context, HttpStatusCode status, XElement body)
    {
        context.Response.StatusCode = (int)status;
        context.Response.ContentType = "text/xml;charset=UTF-8";
        await context.Response.WriteAsync(new XDocument(new XDeclaration("1.0", "UTF-8", null), body).Declaration + body.ToString(SaveOptions.DisableFormatting), context.RequestAborted);
    }
}
