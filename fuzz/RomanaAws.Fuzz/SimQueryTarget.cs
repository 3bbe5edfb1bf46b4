using System.Text;
using System.Xml.Linq;
using Microsoft.AspNetCore.WebUtilities;
using RomanaAws.VpcSim;
using RomanaAws.VpcSim.CloudWatch;
using RomanaAws.VpcSim.Ec2;
using RomanaAws.VpcSim.Ec2.Actions;
using RomanaAws.VpcSim.Scenario;
using RomanaAws.VpcSim.World;

namespace RomanaAws.Fuzz;

/// <summary>
/// The simulator's Query-protocol parsing, in-process and without HTTP: the input is a form body
/// (<c>Action=…&amp;Version=…&amp;Filter.1.Name=…</c>), decoded as ASP.NET decodes it, turned into a
/// <see cref="QueryRequest"/> and dispatched to the EC2 or CloudWatch action against a freshly seeded world
/// (examples/sim-3zone.yaml), then rendered as the XML answer. Bad input is an <see cref="Ec2Exception"/>;
/// anything else is a finding, including the exceptions QueryEndpoint's safety net turns into a 400.
/// </summary>
internal sealed class SimQueryTarget : FuzzTarget
{
    private static readonly ScenarioFile Scenario = LoadScenario();

    private static readonly TimeProvider Time = new FixedTimeProvider();

    public override string Name => "sim-query";

    public override void Run(ReadOnlySpan<byte> input)
    {
        Dictionary<string, Microsoft.Extensions.Primitives.StringValues> form;
        try
        {
            // The endpoint's form options: ValueCountLimit 100 000; ASP.NET's own limits refuse the rest before our code runs.
            using var reader = new FormReader(Encoding.UTF8.GetString(input)) { ValueCountLimit = 100_000 };
            form = reader.ReadForm();
        }
        catch (InvalidDataException)
        {
            return;
        }

        // The front door's own checks (QueryForm.Add: repeated parameters, characters XML cannot carry), as over HTTP.
        var parameters = new Dictionary<string, string>(StringComparer.Ordinal);
        try
        {
            foreach (var (key, value) in form)
            {
                QueryForm.Add(parameters, key, value);
            }
        }
        catch (Ec2Exception)
        {
            return;
        }

        var request = new QueryRequest(parameters, "fuzz-request");
        var version = request.Get("Version");
        if (version != Ec2Xml.ApiVersion && version != CloudWatchXml.ApiVersion)
        {
            // QueryEndpoint refuses any other Version (an Ec2Exception) before an action sees the request.
            return;
        }

        var world = new SimWorld(Time, ScenarioSeeder.Settings(Scenario));
        ScenarioSeeder.Seed(world, Scenario);
        XElement response;
        if (version == CloudWatchXml.ApiVersion)
        {
            if (!CloudWatchActions.ByName.TryGetValue(request.Action, out var handler))
            {
                return;
            }

            response = CloudWatchXml.Response(request.Action, request.RequestId, handler(request, new MetricStore(), world.Now));
        }
        else
        {
            if (!Ec2Actions.ByName.TryGetValue(request.Action, out var action))
            {
                return;
            }

            _ = InstanceActions.IsUnfiltered(request);
            response = Ec2Xml.Response(request.Action, request.RequestId, action.Handle(request, world));
        }

        _ = response.ToString(SaveOptions.DisableFormatting);
    }

    public override bool IsExpected(Exception exception) => exception is Ec2Exception;

    private static ScenarioFile LoadScenario()
    {
        using var stream = typeof(SimQueryTarget).Assembly.GetManifestResourceStream("sim-3zone.yaml")
            ?? throw new InvalidOperationException("the embedded scenario sim-3zone.yaml is missing from the fuzz assembly");
        using var reader = new StreamReader(stream, Encoding.UTF8);
        return ScenarioLoader.Parse(reader.ReadToEnd(), "examples/sim-3zone.yaml");
    }
}
