using System.Net;
using RomanaAws.VpcSim.Ec2;

namespace RomanaAws.VpcSim.World;

internal sealed partial class SimWorld
{
    /// <summary>A state change as Start/Stop/TerminateInstances report it.</summary>
    public readonly record struct StateChange(string InstanceId, InstanceState Previous, InstanceState Current);

    public SimInstance AddInstance(string? id, SimSubnet subnet, IPAddress? privateIp, InstanceState state, string imageId, string instanceType)
    {
        id ??= NewId("i");
        Reserve(id);
        var instance = new SimInstance
        {
            Id = id,
            ImageId = imageId,
            InstanceType = instanceType,
            Subnet = subnet,
            LaunchTime = Now,
            State = state,
        };
        AttachInterface(instance, subnet, privateIp, null);
        Instances.Add(id, instance);
        return instance;
    }

    public SimNetworkInterface AttachInterface(SimInstance instance, SimSubnet subnet, IPAddress? privateIp, string? eniId)
    {
        eniId ??= NewId("eni");
        Reserve(eniId);
        var eni = new SimNetworkInterface
        {
            Id = eniId,
            Subnet = subnet,
            PrivateIp = TakeAddress(subnet, privateIp),
            InstanceId = instance.Id,
            AttachmentId = NewId("eni-attach"),
            DeviceIndex = instance.Interfaces.Count,
        };
        instance.Interfaces.Add(eni);
        Interfaces.Add(eni.Id, eni);
        return eni;
    }

    public StateChange Stop(string id, bool dryRun)
    {
        var instance = Instance(id);
        if (instance.State is InstanceState.Terminated or InstanceState.ShuttingDown)
        {
            throw new Ec2Exception("IncorrectInstanceState", $"This instance '{InputEcho.Of(id)}' is not in a state from which it can be stopped.");
        }

        DryRunCheck(dryRun);
        return Move(instance, InstanceState.Stopping, InstanceState.Stopped, from: [InstanceState.Running, InstanceState.Pending]);
    }

    public StateChange Start(string id, bool dryRun)
    {
        var instance = Instance(id);
        if (instance.State is not (InstanceState.Stopped or InstanceState.Running or InstanceState.Pending))
        {
            throw new Ec2Exception("IncorrectInstanceState", $"The instance '{InputEcho.Of(id)}' is not in a state from which it can be started.");
        }

        DryRunCheck(dryRun);
        return Move(instance, InstanceState.Pending, InstanceState.Running, from: [InstanceState.Stopped]);
    }

    public StateChange Terminate(string id, bool dryRun)
    {
        var instance = Instance(id);
        DryRunCheck(dryRun);
        var change = Move(instance, InstanceState.ShuttingDown, InstanceState.Terminated, from: [InstanceState.Pending, InstanceState.Running, InstanceState.Stopping, InstanceState.Stopped]);
        if (change.Previous != InstanceState.Terminated && change.Previous != InstanceState.ShuttingDown)
        {
            // Interfaces created with the instance are deleted with it; their addresses may be reused at once.
            foreach (var eni in instance.Interfaces.Where(e => !e.Deleted))
            {
                eni.Deleted = true;
                eni.Subnet.Free(eni.PrivateIp);
            }
        }

        return change;
    }

    /// <summary>Moves an instance through an intermediate state to a final one (at once when the transition time is zero).</summary>
    private StateChange Move(SimInstance instance, InstanceState intermediate, InstanceState final, InstanceState[] from)
    {
        var previous = instance.State;
        if (!from.Contains(previous))
        {
            return new StateChange(instance.Id, previous, previous);
        }

        if (Settings.TransitionTime <= TimeSpan.Zero)
        {
            instance.State = final;
            instance.Transition = null;
        }
        else
        {
            instance.State = intermediate;
            instance.Transition = (final, Now + Settings.TransitionTime);
        }

        if (final == InstanceState.Running)
        {
            instance.LaunchTime = Now;
        }

        return new StateChange(instance.Id, previous, instance.State);
    }

    public void SetSourceDestCheck(string id, bool value, bool dryRun)
    {
        var instance = Instance(id);
        if (instance.Interfaces.Count(e => !e.Deleted) > 1)
        {
            throw new Ec2Exception("InvalidInstanceID", $"There are multiple interfaces attached to instance '{InputEcho.Of(id)}'. Please specify an interface ID for the operation instead.");
        }

        DryRunCheck(dryRun);
        instance.Primary.SourceDestCheck = value;
    }
}
