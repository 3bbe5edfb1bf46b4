// One 3-member etcd at a time: the leader-election tests hold a 2 s lease, and two clusters fsyncing side by side on
// a 2-core CI machine once delayed a renewal past it (a clean-clone run saw the leader step down mid-test).
[assembly: Xunit.CollectionBehavior(DisableTestParallelization = true)]
