using Amazon;
using Amazon.EC2;
using Amazon.Runtime;
using Amazon.Runtime.Credentials;

namespace RomanaAws.Aws.Ec2;

/// <summary>
/// Builds the SDK client: credentials from the SDK's default chain, region from options or the SDK's chain, and an
/// optional service URL (the simulator, LocalStack) — which is all LocalStack.Client does. SDK retries are off:
/// <see cref="Ec2Api"/> retries with its own classified policy, so calls are never retried twice over.
/// </summary>
public static class Ec2ClientFactory
{
    public static AmazonEC2Client Create(AwsOptions options, AWSCredentials? credentials = null)
    {
        ArgumentNullException.ThrowIfNull(options);
        var config = new AmazonEC2Config { MaxErrorRetry = 0, Timeout = options.CallTimeout };
        if (options.Ec2ServiceUrl is { } url)
        {
            config.ServiceURL = url.ToString();
            config.AuthenticationRegion = options.Region ?? "us-east-1";
        }
        else if (options.Region is { } region)
        {
            config.RegionEndpoint = RegionEndpoint.GetBySystemName(region);
        }

        return new AmazonEC2Client(credentials ?? ResolveCredentials(options.Ec2ServiceUrl), config);
    }

    /// <summary>
    /// The SDK's default chain. Only for an endpoint on loopback (the simulator, LocalStack), and only when the chain
    /// finds nothing, fixed local credentials are used, as LocalStack's own clients do.
    /// </summary>
    public static AWSCredentials ResolveCredentials(Uri? serviceUrl)
    {
        try
        {
            return DefaultAWSCredentialsIdentityResolver.GetCredentials();
        }
        catch (AmazonClientException) when (serviceUrl is { IsLoopback: true })
        {
            return new BasicAWSCredentials("romana-local", "romana-local");
        }
    }
}
