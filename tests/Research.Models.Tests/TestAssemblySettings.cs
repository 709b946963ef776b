// Most tests here seed torch's global generator and expect the draws that follow; tests running in parallel would
// draw in between and change the inputs. The whole assembly runs one test at a time (about 20 s).
[assembly: CollectionBehavior(DisableTestParallelization = true)]
