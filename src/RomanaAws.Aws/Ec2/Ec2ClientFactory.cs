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
    /// The SDK's default chain, except for an endpoint on loopback (the simulator, LocalStack): there the credentials
    /// come from the environment (AWS_ACCESS_KEY_ID/AWS_SECRET_ACCESS_KEY) or are fixed local ones, as LocalStack's own
    /// clients use. The chain's last step, the instance metadata service, is never asked for a local endpoint: it is
    /// not there, and the SDK waited about 40 s for it (the lab measured a controller start of 40 s, all of it that).
    /// </summary>
    public static AWSCredentials ResolveCredentials(Uri? serviceUrl)
    {
        if (serviceUrl is { IsLoopback: true })
        {
            try
            {
                return new EnvironmentVariablesAWSCredentials();
            }
            catch (InvalidOperationException)
            {
                return new BasicAWSCredentials("romana-local", "romana-local");
            }
        }

        return DefaultAWSCredentialsIdentityResolver.GetCredentials();
    }
}
