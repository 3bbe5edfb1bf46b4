namespace RomanaAws.Aws.Ec2;

/// <summary>What an EC2 error means for the caller: retry, converge, stop, or report.</summary>
public enum Ec2ErrorKind
{
    /// <summary>Throttled (RequestLimitExceeded): retry with backoff, and slow down.</summary>
    Throttled,

    /// <summary>Server side or network (InternalError, Unavailable, 5xx, timeouts): retry with backoff.</summary>
    Transient,

    /// <summary>The route does not exist (InvalidRoute.NotFound, or ReplaceRoute's "no route defined").</summary>
    RouteNotFound,

    RouteAlreadyExists,

    /// <summary>The table is full (someone else may have filled it).</summary>
    RouteLimitExceeded,

    /// <summary>A named resource is gone (route table, instance, network interface).</summary>
    ResourceNotFound,

    /// <summary>An instance with several ENIs was targeted by InstanceId.</summary>
    MultipleInterfaces,

    Unauthorized,

    /// <summary>DryRun: the call would have succeeded.</summary>
    DryRunSucceeded,

    InvalidRequest,

    /// <summary>The endpoint answered something that is not an EC2 response (not XML, cut off, wrong document).</summary>
    MalformedResponse,

    Other,
}
